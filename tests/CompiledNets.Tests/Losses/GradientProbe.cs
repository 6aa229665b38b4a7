using System;
using System.Collections.Generic;

namespace CompiledNets.Tests.Losses;

/// <summary>
/// A stand-in network whose outputs are whatever the test says and whose Backward records the gradient it is given:
/// a criterion's dLoss/dOutputs, read exactly.
/// </summary>
internal sealed class GradientProbe(int features) : INetwork
{
    public float[] LastGradient { get; private set; } = [];

    public int InputSize => features;
    public int OutputSize => features;
    public int ParameterCount => 0;
    public Span<float> Parameters => Span<float>.Empty;
    public Span<float> Gradients => Span<float>.Empty;
    public IReadOnlyList<ParameterTensor> NamedParameters => [];
    public IReadOnlyList<LayerInfo> Layers => [];
    public bool GradEnabled { get; set; } = true;
    public int ThreadCount { get; set; } = 1;
    public long ForwardVersion { get; private set; }

    public void Forward(ReadOnlySpan<float> input, Span<float> output) => input.CopyTo(output);

    public Outputs Forward(ReadOnlySpan<float> inputs) => new(inputs, inputs.Length / features, features, this, ++ForwardVersion);

    public void Backward(ReadOnlySpan<float> outputGradient) => LastGradient = outputGradient.ToArray();
}
