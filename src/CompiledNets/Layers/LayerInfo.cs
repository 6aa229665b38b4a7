using System;

namespace CompiledNets;

/// <summary>
/// One layer of a network, as generated networks list it in <see cref="INetwork.Layers"/> and
/// <see cref="Onnx.OnnxExporter"/> exports it: the same information as the
/// layer attribute it was declared with (<c>[Linear(10, 20)]</c>, <c>[ReLU]</c>, <c>[LeakyReLU(0.1f)]</c>, ...).
/// </summary>
/// <remarks>
/// A list of these, in declaration order, describes a network the way <c>nn.Sequential</c> does: the
/// position of a layer in the list is its state_dict index, so a <see cref="LayerKind.Linear"/> at
/// position 2 owns <c>"2.weight"</c> and <c>"2.bias"</c>. A record, so two descriptions of the same
/// architecture compare equal.
/// </remarks>
/// <param name="Kind">What the layer computes.</param>
/// <param name="InFeatures">For <see cref="LayerKind.Linear"/>, the size of each input sample; otherwise 0.</param>
/// <param name="OutFeatures">For <see cref="LayerKind.Linear"/>, the size of each output sample; otherwise 0.</param>
/// <param name="NegativeSlope">For <see cref="LayerKind.LeakyReLU"/>, the slope for negative inputs; otherwise 0.</param>
/// <param name="P">For <see cref="LayerKind.Dropout"/>, the probability of zeroing an element; otherwise 0.</param>
/// <param name="Window">For convolutions and pooling, the window and the shapes around it; otherwise null.</param>
/// <param name="Eps">For batch normalization, what is added to the variance; otherwise 0.</param>
/// <param name="Momentum">For batch normalization, the weight of each batch in the running statistics; otherwise 0.</param>
public sealed record LayerInfo(
    LayerKind Kind, int InFeatures = 0, int OutFeatures = 0, float NegativeSlope = 0f, float P = 0f, WindowInfo? Window = null, float Eps = 0f, float Momentum = 0f)
{
    /// <summary><c>nn.Flatten()</c>.</summary>
    public static LayerInfo Flatten { get; } = new(LayerKind.Flatten);

    /// <summary>A convolution or pooling layer (<c>nn.Conv2d</c>, <c>nn.MaxPool1d</c>, ...) over <paramref name="window"/>.</summary>
    public static LayerInfo Spatial(LayerKind kind, WindowInfo window)
    {
        ArgumentNullException.ThrowIfNull(window);
        int dimensions = kind switch
        {
            LayerKind.Conv2d or LayerKind.MaxPool2d or LayerKind.AvgPool2d => 2,
            LayerKind.Conv1d or LayerKind.MaxPool1d or LayerKind.AvgPool1d => 1,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Expected Conv2d, MaxPool2d, AvgPool2d, Conv1d, MaxPool1d or AvgPool1d."),
        };
        if (window.Dimensions != dimensions)
        {
            throw new ArgumentException($"A {kind} window has {dimensions} dimension(s), but this one has {window.Dimensions}.", nameof(window));
        }
        return new(kind, window.InChannels * window.InHeight * window.InWidth, window.OutChannels * window.OutHeight * window.OutWidth, Window: window);
    }

    /// <summary>Batch normalization, <c>nn.BatchNorm1d</c> or <c>nn.BatchNorm2d(num_features, eps, momentum)</c>.</summary>
    public static LayerInfo BatchNorm(LayerKind kind, int numFeatures, float eps = 1e-5f, float momentum = 0.1f)
    {
        if (kind is not (LayerKind.BatchNorm1d or LayerKind.BatchNorm2d))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Expected BatchNorm1d or BatchNorm2d.");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numFeatures);
        if (!(eps > 0f && float.IsFinite(eps)))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "Expected a finite eps above 0.");
        }
        if (!(momentum >= 0f && momentum <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Expected a momentum in [0, 1].");
        }
        return new(kind, numFeatures, numFeatures, Eps: eps, Momentum: momentum);
    }

    /// <summary>Inverted dropout, <c>nn.Dropout(p)</c>, p in [0, 1).</summary>
    public static LayerInfo Dropout(float p = 0.5f)
    {
        if (!(p >= 0f && p < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Expected a dropout probability in [0, 1).");
        }
        return new(LayerKind.Dropout, P: p);
    }

    /// <summary>A rectified linear unit, <c>nn.ReLU()</c>.</summary>
    public static LayerInfo ReLU { get; } = new(LayerKind.ReLU);

    /// <summary>A logistic sigmoid, <c>nn.Sigmoid()</c>.</summary>
    public static LayerInfo Sigmoid { get; } = new(LayerKind.Sigmoid);

    /// <summary>A hyperbolic tangent, <c>nn.Tanh()</c>.</summary>
    public static LayerInfo Tanh { get; } = new(LayerKind.Tanh);

    /// <summary>A fully connected layer, <c>nn.Linear(in_features, out_features)</c>.</summary>
    public static LayerInfo Linear(int inFeatures, int outFeatures)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        return new(LayerKind.Linear, inFeatures, outFeatures);
    }

    /// <summary>A leaky ReLU, <c>nn.LeakyReLU(negative_slope)</c>; PyTorch's default slope is 0.01.</summary>
    public static LayerInfo LeakyReLU(float negativeSlope = 0.01f)
    {
        if (!float.IsFinite(negativeSlope))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "Expected a finite negative slope.");
        }
        return new(LayerKind.LeakyReLU, NegativeSlope: negativeSlope);
    }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        LayerKind.Linear => $"Linear({InFeatures}, {OutFeatures})",
        LayerKind.LeakyReLU => FormattableString.Invariant($"LeakyReLU({NegativeSlope})"),
        LayerKind.Dropout => FormattableString.Invariant($"Dropout(p={P})"),
        LayerKind.Conv2d or LayerKind.Conv1d =>
            $"{Kind}({Window!.InChannels}, {Window.OutChannels}, kernel_size={Window.KernelSize}, stride={Window.Stride}, padding={Window.Padding})",
        LayerKind.MaxPool2d or LayerKind.AvgPool2d or LayerKind.MaxPool1d or LayerKind.AvgPool1d => $"{Kind}(kernel_size={Window!.KernelSize}, stride={Window.Stride})",
        LayerKind.BatchNorm1d or LayerKind.BatchNorm2d => FormattableString.Invariant($"{Kind}({InFeatures}, eps={Eps}, momentum={Momentum})"),
        _ => Kind.ToString(),
    };
}
