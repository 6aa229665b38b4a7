using System;
using System.Runtime.CompilerServices;

namespace CompiledNets;

/// <summary>
/// The value of a loss for one batch, and the way back into the network that produced it:
/// <c>loss.Item()</c> and <c>loss.Backward()</c> as in PyTorch.
/// </summary>
/// <remarks>
/// A loss knows nothing of the criterion that computed it: it holds the value, the network and forward pass it came
/// from, and the gradient the criterion wrote (in a buffer of the criterion for the computing thread).
/// </remarks>
public readonly struct Loss
{
    private readonly INetwork? _network;
    private readonly long _version;
    private readonly LossGradient? _gradient;
    private readonly long _stamp;
    private readonly bool _computed;

    /// <summary>A loss without a graph: computed from outputs of a forward pass without gradients.</summary>
    internal Loss(float value)
    {
        Value = value;
        _computed = true;
    }

    internal Loss(float value, INetwork network, long version, LossGradient gradient, long stamp)
    {
        Value = value;
        _network = network;
        _version = version;
        _gradient = gradient;
        _stamp = stamp;
        _computed = true;
    }

    /// <summary>The loss value.</summary>
    public float Value { get; }

    /// <summary>The loss as a number, like <c>loss.item()</c>.</summary>
    public float Item() => Value;

    /// <summary>
    /// Adds dLoss/dParameters into the network's <see cref="INetwork.Gradients"/>, like <c>loss.backward()</c>.
    /// Valid once, right after the forward pass and the loss that produced it, on the thread that computed the loss.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward()
    {
        if (!_computed)
        {
            throw new InvalidOperationException(
                "This is default(Loss), which no criterion computed: it has no value and no graph. Call Backward on the loss a criterion's Forward returned.");
        }
        if (_network is null || _gradient is null)
        {
            throw new InvalidOperationException(
                "This loss has no graph: it was computed from outputs of a forward pass without gradients (inside NoGrad(), or with GradEnabled off on that thread).");
        }
        if (!_gradient.OwnedByCurrentThread)
        {
            throw new InvalidOperationException(
                $"This loss was computed on thread {_gradient.Thread} and its gradient lives there; call Backward on the same thread.");
        }
        if (_network.ForwardVersion != _version)
        {
            throw new InvalidOperationException(
                $"This loss belongs to forward pass {_version} but the network has since run forward pass {_network.ForwardVersion}; " +
                "call Backward before the next Forward.");
        }
        if (_gradient.Stamp != _stamp)
        {
            throw new InvalidOperationException(
                "The criterion has computed another loss on this thread since this one and keeps only the latest gradient; call Backward before computing the next loss.");
        }
        _network.Backward(_gradient.Latest);
    }

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("G9", System.Globalization.CultureInfo.InvariantCulture);
}
