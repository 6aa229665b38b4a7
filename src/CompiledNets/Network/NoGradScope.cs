using System;

namespace CompiledNets;

/// <summary>
/// Turns off gradient tracking on the current thread for a <c>using</c> block, like <c>with torch.no_grad():</c>.
/// Batched forward passes inside the block keep nothing for backward, on every network (as in PyTorch, the mode
/// belongs to the thread, not to a network).
/// </summary>
/// <remarks>
/// A scope must be disposed on the thread that opened it (it throws otherwise); scopes nest and may be disposed in
/// any order, and disposing one twice does nothing the second time (see <see cref="GradMode"/>).
/// </remarks>
public readonly struct NoGradScope : IDisposable
{
    private readonly long _ticket;
    private readonly int _thread;

    /// <summary>Disables gradients on the current thread until <see cref="Dispose"/>; <paramref name="network"/> is the one asking.</summary>
    public NoGradScope(INetwork network)
        : this(OpenFor(network))
    {
    }

    private static long OpenFor(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return GradMode.Open();
    }

    internal NoGradScope(long ticket)
    {
        _ticket = ticket;
        _thread = Environment.CurrentManagedThreadId;
    }

    /// <summary>Ends the scope: gradients are enabled again once no other scope of this thread is open.</summary>
    public void Dispose()
    {
        if (_ticket == 0)
        {
            return;
        }
        if (Environment.CurrentManagedThreadId != _thread)
        {
            throw new InvalidOperationException(
                $"This NoGrad scope was opened on thread {_thread} and must be disposed there: gradient mode belongs to a thread.");
        }
        GradMode.Close(_ticket);
    }
}
