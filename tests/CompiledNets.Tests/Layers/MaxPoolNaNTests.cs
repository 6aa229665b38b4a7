using System;
using CompiledNets;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>A 1 × 1 convolution (weight w, no input) feeding one 2 × 2 max pool and one output: the pool's choice, seen through dW.</summary>
[Input(1, 2, 2)]
[Conv2d(1, 1, 1)]
[MaxPool2d(2)]
[Flatten]
[Linear(1, 1)]
public partial class PoolChoiceNet;

/// <summary>
/// Max pooling picks the first maximum, and a NaN over anything before it, as PyTorch's CPU kernel does
/// (<c>val &gt; maxval || isnan(val)</c>): after a NaN, only another NaN moves the choice. The gradient goes to the one chosen.
/// </summary>
public sealed class MaxPoolNaNTests
{
    [Theory]
    // The convolution's outputs are w·x with w = +∞: x > 0 gives +∞, x = 0 gives NaN (∞ · 0), x < 0 gives −∞.
    [InlineData(new[] { 1f, 0f, 2f, 3f }, 1)] // [∞, NaN, ∞, ∞]: the NaN at 1 wins; later taps do not move it
    [InlineData(new[] { 1f, 2f, 3f, 4f }, 0)] // [∞, ∞, ∞, ∞]: the first maximum
    [InlineData(new[] { -1f, 0f, 5f, 0f }, 3)] // [−∞, NaN, ∞, NaN]: the last NaN, as PyTorch's test moves to it
    public void The_gradient_reaches_the_tap_PyTorch_picks(float[] inputs, int chosen)
    {
        var net = new PoolChoiceNet(seed: 0);
        Span<float> parameters = net.Parameters;
        parameters[0] = float.PositiveInfinity; // conv weight
        parameters[1] = 0f; // conv bias
        parameters[2] = 1f; // linear weight
        parameters[3] = 0f; // linear bias
        net.Gradients.Clear();
        net.Forward(inputs);
        net.Backward([1f]);
        // dLoss/dw of the convolution = Σ over the pool's chosen tap of dy · x = x[chosen] (the linear weight is 1).
        Assert.Equal(inputs[chosen], net.Gradients[0]);
        Assert.Equal(1f, net.Gradients[1]);
    }
}
