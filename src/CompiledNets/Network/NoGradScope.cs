using System;

namespace CompiledNets;

/// <summary>
/// Turns off gradient tracking of one network for a <c>using</c> block, like <c>with torch.no_grad():</c>.
/// Batched forward passes inside the block keep nothing for backward.
/// </summary>
public readonly struct NoGradScope : IDisposable
{
    private readonly INetwork? _network;
    private readonly bool _previous;

    /// <summary>Disables gradients on <paramref name="network"/> until <see cref="Dispose"/>.</summary>
    public NoGradScope(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        _previous = network.GradEnabled;
        network.GradEnabled = false;
    }

    /// <summary>Restores the gradient mode that was in force before the scope.</summary>
    public void Dispose()
    {
        if (_network is not null)
        {
            _network.GradEnabled = _previous;
        }
    }
}
