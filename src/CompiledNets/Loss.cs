using System;

namespace CompiledNets;

/// <summary>
/// The value of a loss for one batch, and the way back into the network that produced it:
/// <c>loss.Item()</c> and <c>loss.Backward()</c> as in PyTorch.
/// </summary>
public readonly struct Loss
{
    private readonly CrossEntropyLoss? _criterion;
    private readonly long _criterionCount;
    private readonly INetwork? _network;
    private readonly long _version;
    private readonly int _length;

    internal Loss(float value, CrossEntropyLoss criterion, long criterionCount, INetwork? network, long version, int length)
    {
        Value = value;
        _criterion = criterion;
        _criterionCount = criterionCount;
        _network = network;
        _version = version;
        _length = length;
    }

    /// <summary>The loss value.</summary>
    public float Value { get; }

    /// <summary>The loss as a number, like <c>loss.item()</c>.</summary>
    public float Item() => Value;

    /// <summary>
    /// Adds dLoss/dParameters into the network's <see cref="INetwork.Gradients"/>, like <c>loss.backward()</c>.
    /// Valid once, right after the forward pass and the loss that produced it.
    /// </summary>
    public void Backward()
    {
        if (_criterion is null || _network is null)
        {
            throw new InvalidOperationException("This loss has no graph: its outputs were computed with gradients disabled (inside NoGrad()).");
        }
        if (_network.ForwardVersion != _version)
        {
            throw new InvalidOperationException(
                $"This loss belongs to forward pass {_version} but the network has since run forward pass {_network.ForwardVersion}; " +
                "call Backward before the next Forward.");
        }
        if (_criterion.ForwardCount != _criterionCount)
        {
            throw new InvalidOperationException(
                "The criterion has computed another loss since this one and keeps only the latest gradient; call Backward before computing the next loss.");
        }
        _network.Backward(_criterion.Gradient(_length));
    }

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("G9", System.Globalization.CultureInfo.InvariantCulture);
}
