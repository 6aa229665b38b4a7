using System;
using System.Collections.Generic;
using System.Numerics;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests;

/// <summary>Every Sgd option against PyTorch's update, written out again here in double.</summary>
public sealed class SgdTests(ITestOutputHelper output)
{
    public static TheoryData<float, float, float, float, bool> Options => new()
    {
        { 0.1f, 0f, 0f, 0f, false },      // plain SGD
        { 0.1f, 0.9f, 0f, 0f, false },    // momentum
        { 0.05f, 0.9f, 0.5f, 0f, false }, // momentum with dampening
        { 0.1f, 0f, 0f, 0.01f, false },   // weight decay only
        { 0.02f, 0.8f, 0f, 0.1f, true },  // Nesterov with weight decay
        { 0.03f, 0.7f, 0.2f, 0.05f, false }, // everything but Nesterov
    };

    /// <summary>
    /// The update runs in the widest vectors, each combination of options a loop of its own; every lane must do what the
    /// scalar formula does in float, in the same order and without fused multiply-adds, so the parameters (here a count
    /// that leaves a scalar tail after the vectors) do not depend on the vector width. CI runs this with AVX-512, AVX2 and
    /// no SIMD.
    /// </summary>
    [Theory]
    [MemberData(nameof(Options))]
    [InlineData(0.1f, 0.9f, 0f, 0f, true)] // Nesterov without weight decay
    public void Step_equals_the_scalar_formula_in_float_bit_for_bit(float lr, float momentum, float dampening, float weightDecay, bool nesterov) =>
        AssertScalarFormula(new SeedNet(seed: 2), lr, momentum, dampening, weightDecay, nesterov); // 262 parameters: vectors of 4, 8 or 16, then a tail of 2 or 6

    /// <summary>
    /// The same on a network large enough for the update to be split over threads (each part a range of every tensor's
    /// rows, its own slice of the buffers): MnistNet's 101,770 parameters on two and three threads.
    /// </summary>
    [Theory]
    [InlineData(2, 0.1f, 0.9f, 0f, 0.01f, true)]
    [InlineData(3, 0.03f, 0.7f, 0.2f, 0.05f, false)]
    [InlineData(2, 0.1f, 0f, 0f, 0f, false)]
    public void Step_split_over_threads_equals_the_scalar_formula_bit_for_bit(int threads, float lr, float momentum, float dampening, float weightDecay, bool nesterov) =>
        AssertScalarFormula(new MnistNet(seed: 2) { ThreadCount = threads }, lr, momentum, dampening, weightDecay, nesterov);

    private static void AssertScalarFormula(INetwork net, float lr, float momentum, float dampening, float weightDecay, bool nesterov)
    {
        var optimizer = new Sgd(net, lr, momentum, dampening, weightDecay, nesterov);
        float[] p = net.Parameters.ToArray();
        float[] buffer = new float[p.Length];
        for (int step = 0; step < 3; step++)
        {
            float[] gradient = TestData.Normal(net.ParameterCount, seed: 200 + step);
            gradient.CopyTo(net.Gradients);
            optimizer.Step();
            FormulaStep(p, buffer, gradient, first: step == 0, lr, momentum, dampening, weightDecay, nesterov);
            for (int i = 0; i < p.Length; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(p[i]) == BitConverter.SingleToInt32Bits(net.Parameters[i]),
                    $"step {step}, parameter {i}: {net.Parameters[i]:R}, the scalar formula {p[i]:R}");
            }
        }
    }

    /// <summary>
    /// One step of torch.optim.SGD (_single_tensor_sgd) written out again on <paramref name="p"/>, in T: double for the
    /// reference within tolerance, float for the bit-for-bit check (float's operations one by one, no fused multiply-add).
    /// </summary>
    private static void FormulaStep<T>(T[] p, T[] buffer, float[] gradient, bool first, float lr, float momentum, float dampening,
        float weightDecay, bool nesterov)
        where T : IFloatingPointIeee754<T>
    {
        T rate = T.CreateChecked(lr), factor = T.CreateChecked(momentum), keep = T.CreateChecked(1f - dampening), decay = T.CreateChecked(weightDecay);
        for (int i = 0; i < p.Length; i++)
        {
            T g = T.CreateChecked(gradient[i]);
            if (weightDecay != 0f) g += decay * p[i];
            if (momentum != 0f)
            {
                buffer[i] = first ? g : factor * buffer[i] + keep * g;
                g = nesterov ? g + factor * buffer[i] : buffer[i];
            }
            p[i] -= rate * g;
        }
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void Step_matches_pytorch_formulas(float lr, float momentum, float dampening, float weightDecay, bool nesterov)
    {
        var net = new TanhSigmoidNet(seed: 1);
        var optimizer = new Sgd(net, lr, momentum, dampening, weightDecay, nesterov);
        double[] p = TestData.ToDouble(net.Parameters);
        double[] buffer = new double[p.Length];

        double largest = 0;
        for (int step = 0; step < 5; step++)
        {
            float[] gradient = TestData.Normal(TanhSigmoidNet.ParameterCount, seed: 100 + step);
            gradient.CopyTo(net.Gradients);
            optimizer.Step();

            FormulaStep(p, buffer, gradient, first: step == 0, lr, momentum, dampening, weightDecay, nesterov);
            for (int i = 0; i < p.Length; i++)
            {
                largest = Math.Max(largest, Math.Abs(net.Parameters[i] - p[i]) / Math.Max(1, Math.Abs(p[i])));
            }
        }
        output.WriteLine($"largest difference from the formula after 5 steps: {largest:E2}");
        Assert.True(largest < 1e-6, $"largest difference {largest:E2}");
    }

    [Theory]
    [MemberData(nameof(TestNetworks.AllWithSpatial), MemberType = typeof(TestNetworks))]
    public void ZeroGrad_clears_and_backward_accumulates_until_then(string name)
    {
        // Every network: each kind of weight gradient (summed into the gradient, or summed apart and added in) must add to
        // what is there, as PyTorch's .grad does, until ZeroGrad.
        INetwork net = TestNetworks.Create(name, seed: 2);
        var criterion = new CrossEntropyLoss();
        var optimizer = new Sgd(net, lr: 0.1f);
        float[] inputs = TestData.Normal(3 * net.InputSize, seed: 4);
        int[] labels = TestData.Labels(3, net.OutputSize, seed: 5);

        criterion.Forward(net.Forward(inputs), labels).Backward();
        float[] once = net.Gradients.ToArray();
        Assert.True(once.AsSpan().IndexOfAnyExcept(0f) >= 0, "no gradient");
        criterion.Forward(net.Forward(inputs), labels).Backward();
        for (int i = 0; i < once.Length; i++)
        {
            float tolerance = 1e-5f * Math.Max(1f, Math.Abs(once[i]));
            Assert.True(Math.Abs(2 * once[i] - net.Gradients[i]) <= tolerance, $"{name}: gradient {i}: {net.Gradients[i]:R} after two passes, {once[i]:R} after one");
        }
        optimizer.ZeroGrad();
        Assert.True(net.Gradients.IndexOfAnyExcept(0f) < 0, "ZeroGrad left a non-zero gradient");
    }

    public static IEnumerable<object[]> InvalidOptions()
    {
        yield return new object[] { 0f, 0f, 0f, 0f, false, "lr", "0" };
        yield return new object[] { -0.1f, 0f, 0f, 0f, false, "lr", "-0.1" };
        yield return new object[] { float.NaN, 0f, 0f, 0f, false, "lr", "NaN" };
        yield return new object[] { 0.1f, -0.5f, 0f, 0f, false, "momentum", "-0.5" };
        yield return new object[] { 0.1f, 0f, 0f, -1f, false, "weightDecay", "-1" };
        yield return new object[] { 0.1f, 0f, 0f, 0f, true, "nesterov", "momentum = 0" };
        yield return new object[] { 0.1f, 0.9f, 0.1f, 0f, true, "nesterov", "dampening = 0.1" };
    }

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_throw_naming_the_argument_and_value(float lr, float momentum, float dampening, float weightDecay, bool nesterov, string parameter, string actual)
    {
        var net = new SeedNet(seed: 0);
        var error = Assert.ThrowsAny<ArgumentException>(() => new Sgd(net, lr, momentum, dampening, weightDecay, nesterov));
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(actual, error.Message);
        Assert.Contains("Expected", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
