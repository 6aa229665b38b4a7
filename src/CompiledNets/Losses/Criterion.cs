using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace CompiledNets;

/// <summary>
/// A loss function of a network's outputs against targets, like the loss modules of <c>torch.nn</c>:
/// <c>var loss = criterion.Forward(outputs, targets)</c> gives the loss of a batch, and <c>loss.Backward()</c>
/// back-propagates it into the network that produced the outputs. A new loss is a subclass that implements
/// <see cref="Compute"/>; <see cref="Loss"/>, <see cref="Trainer"/> and <see cref="Checkpoint"/> never name one.
/// </summary>
/// <typeparam name="TTarget"><see cref="int"/> for class indices (<see cref="CrossEntropyLoss"/>), <see cref="float"/> for numbers.</typeparam>
/// <remarks>
/// A criterion holds no state between calls that another thread could disturb, as PyTorch's criteria hold none: the
/// gradient a loss back-propagates lives in a buffer of the calling thread, one per criterion, grown once to the
/// largest batch seen, so a step allocates nothing after the first. Under <c>NoGrad</c> (outputs without a network)
/// only the value is computed.
/// </remarks>
public abstract class Criterion<TTarget>
    where TTarget : unmanaged
{
    private readonly ThreadLocal<LossGradient> _gradients = new(() => new LossGradient());

    /// <summary>Creates a criterion that combines per-sample losses as <paramref name="reduction"/> says.</summary>
    protected Criterion(Reduction reduction)
    {
        if (!Enum.IsDefined(reduction))
        {
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Expected a defined Reduction.");
        }
        Reduction = reduction;
    }

    /// <summary>How per-sample losses are combined, as PyTorch's <c>reduction</c> argument.</summary>
    public Reduction Reduction { get; }

    /// <summary>
    /// The loss of a batch of <paramref name="outputs"/> against <paramref name="targets"/>. When the outputs came from a
    /// forward pass with gradients enabled, <see cref="Loss.Backward()"/> back-propagates it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Loss Forward(Outputs outputs, ReadOnlySpan<TTarget> targets)
    {
        if (Reduction == Reduction.None)
        {
            return ForwardUnreduced(outputs, targets);
        }
        if (outputs.Network is not { } network)
        {
            return new Loss(Compute(outputs.Data, targets, outputs.Features, Span<float>.Empty));
        }
        LossGradient gradient = _gradients.Value!;
        Span<float> buffer = gradient.Take(outputs.Data.Length);
        float value = Compute(outputs.Data, targets, outputs.Features, buffer);
        return new Loss(value, network, outputs.Version, gradient, gradient.Stamp);
    }

    /// <summary>
    /// The loss of a batch against the targets a <see cref="DataLoader"/> gave, so the loop reads
    /// <c>criterion.Forward(outputs, targets)</c> for labels and float targets alike. Throws
    /// <see cref="InvalidOperationException"/> when the targets are not of this criterion's kind (labels for
    /// <see cref="CrossEntropyLoss"/>, floats for <see cref="MSELoss"/> and the other element-wise losses).
    /// </summary>
    public Loss Forward(Outputs outputs, Targets targets) => Forward(outputs, targets.As<TTarget>());

    private Loss ForwardUnreduced(Outputs outputs, ReadOnlySpan<TTarget> targets)
    {
        int perValue = ElementsPerValue(outputs.Features);
        int count = outputs.Data.Length / perValue;
        LossGradient gradient = _gradients.Value!;
        INetwork? network = outputs.Network;
        // Checked first, so a refused call leaves the latest loss of this thread readable.
        CheckTargets(outputs.Data, targets, outputs.Features);
        Span<float> buffer = gradient.Take(network is null ? 0 : outputs.Data.Length);
        Span<float> values = gradient.TakeValues(count);
        ComputeUnreduced(outputs.Data, targets, outputs.Features, values, buffer);
        return new Loss(network, outputs.Version, gradient, gradient.Stamp, count, perValue);
    }

    /// <summary>How many output floats each unreduced loss covers: 1 for element-wise losses, a row's for <see cref="CrossEntropyLoss"/>.</summary>
    protected virtual int ElementsPerValue(int features) => 1;

    /// <summary>Throws, before anything is written, when <paramref name="targets"/> do not fit <paramref name="outputs"/>.</summary>
    protected abstract void CheckTargets(ReadOnlySpan<float> outputs, ReadOnlySpan<TTarget> targets, int features);

    /// <summary>
    /// The losses without reduction, into <paramref name="values"/> (one per <see cref="ElementsPerValue"/> outputs), and
    /// unless <paramref name="gradient"/> is empty each value's gradient with respect to its outputs. The targets have passed
    /// <see cref="CheckTargets"/>.
    /// </summary>
    protected abstract void ComputeUnreduced(ReadOnlySpan<float> outputs, ReadOnlySpan<TTarget> targets, int features, Span<float> values, Span<float> gradient);

    /// <summary>Working room for <see cref="Compute"/> on the calling thread, apart from the gradient: grown once, then reused.</summary>
    protected Span<float> Scratch(int length) => _gradients.Value!.Scratch(length);

    /// <summary>
    /// The loss of <paramref name="outputs"/> (rows of <paramref name="features"/> floats) against <paramref name="targets"/>,
    /// reduced as <see cref="Reduction"/> says; unless <paramref name="gradient"/> is empty, dLoss/dOutputs is written into it
    /// (same shape as the outputs). Throws before writing anything when the targets do not fit the outputs.
    /// </summary>
    protected abstract float Compute(ReadOnlySpan<float> outputs, ReadOnlySpan<TTarget> targets, int features, Span<float> gradient);
}
