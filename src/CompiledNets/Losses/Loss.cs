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
    private readonly int _valueCount;
    private readonly int _elementsPerValue;

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

    /// <summary>
    /// Losses without reduction (<see cref="Reduction.None"/>): <paramref name="valueCount"/> of them in
    /// <paramref name="gradient"/>'s value buffer, each the loss of <paramref name="elementsPerValue"/> consecutive
    /// output floats; <paramref name="network"/> is null without a graph.
    /// </summary>
    internal Loss(INetwork? network, long version, LossGradient gradient, long stamp, int valueCount, int elementsPerValue)
    {
        Value = float.NaN;
        _network = network;
        _version = version;
        _gradient = gradient;
        _stamp = stamp;
        _computed = true;
        _valueCount = valueCount;
        _elementsPerValue = elementsPerValue;
    }

    /// <summary>The loss value; NaN for losses without reduction (read <see cref="Values"/>).</summary>
    public float Value { get; }

    /// <summary>Whether this holds one loss per element or row (<see cref="Reduction.None"/>) rather than one number.</summary>
    public bool IsUnreduced => _valueCount > 0;

    /// <summary>
    /// The losses without reduction (<see cref="Reduction.None"/>), one per output element, or per row for
    /// <see cref="CrossEntropyLoss"/>; valid until the criterion computes another loss on this thread.
    /// </summary>
    public ReadOnlySpan<float> Values
    {
        get
        {
            if (!IsUnreduced)
            {
                throw new InvalidOperationException("This loss is reduced to one number (Reduction.Mean or Sum): read Value or Item().");
            }
            CheckLatest();
            return _gradient!.LatestValues;
        }
    }

    /// <summary>The loss as a number, like <c>loss.item()</c>; for an unreduced loss only when it holds one value.</summary>
    public float Item()
    {
        if (!IsUnreduced)
        {
            return Value;
        }
        ReadOnlySpan<float> values = Values;
        return values.Length == 1
            ? values[0]
            : throw new InvalidOperationException($"This unreduced loss holds {values.Length} values, not one: read Values, or reduce them.");
    }

    /// <summary>
    /// Adds dLoss/dParameters into the network's <see cref="INetwork.Gradients"/>, like <c>loss.backward()</c>.
    /// Valid once, right after the forward pass and the loss that produced it, on the thread that computed the loss.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward()
    {
        if (IsUnreduced)
        {
            throw new InvalidOperationException(
                $"This loss holds {_valueCount} unreduced values (Reduction.None), and a gradient can only be implied for one number: " +
                "call Backward(gradient) with one float per value, as loss.backward(gradient).");
        }
        CheckGraph();
        _network!.Backward(_gradient!.Latest);
    }

    /// <summary>
    /// Back-propagates an unreduced loss (<see cref="Reduction.None"/>) weighted by <paramref name="gradient"/>, one float per
    /// value (dResult/dValue), like <c>loss.backward(gradient)</c>. For a reduced loss, <paramref name="gradient"/> holds one float
    /// that scales it.
    /// </summary>
    public void Backward(ReadOnlySpan<float> gradient)
    {
        int expected = IsUnreduced ? _valueCount : 1;
        if (gradient.Length != expected)
        {
            throw new ArgumentException($"Expected a gradient of {expected} floats (one per loss value) but got {gradient.Length}.", nameof(gradient));
        }
        FiniteCheck.ThrowIfNotFinite(gradient, 1, nameof(gradient));
        CheckGraph();
        Span<float> outputGradient = _gradient!.LatestWritable;
        int group = IsUnreduced ? _elementsPerValue : outputGradient.Length;
        for (int v = 0; v < expected; v++)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(outputGradient.Slice(v * group, group), gradient[v], outputGradient.Slice(v * group, group));
        }
        _network!.Backward(outputGradient);
    }

    private void CheckLatest()
    {
        if (!_gradient!.OwnedByCurrentThread)
        {
            throw new InvalidOperationException(
                $"This loss was computed on thread {_gradient.Thread} and its values live there; read them on the same thread.");
        }
        if (_gradient.Stamp != _stamp)
        {
            throw new InvalidOperationException(
                "The criterion has computed another loss on this thread since this one and keeps only the latest; read it before computing the next loss.");
        }
    }

    private void CheckGraph()
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
    }

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("G9", System.Globalization.CultureInfo.InvariantCulture);
}
