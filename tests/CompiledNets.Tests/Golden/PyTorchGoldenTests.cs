using System;
using CompiledNets;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests.Golden;

/// <summary>
/// Replays training runs recorded from real PyTorch 1.13 (<c>tests/fixtures/make_golden.py</c>) through the
/// generated networks, <see cref="CrossEntropyLoss"/> and <see cref="Sgd"/>, step for step, and compares
/// every loss, the first gradients and the final parameters.
/// </summary>
public sealed class PyTorchGoldenTests(ITestOutputHelper output)
{
    private const int Steps = 50;

    // Tolerances, with what was measured when they were chosen (PyTorch 1.13 CPU vs .NET 10 on x64 with AVX-512,
    // also with DOTNET_EnableAVX512F=0 and DOTNET_EnableHWIntrinsic=0, across the three networks).
    //
    // Loss: relative. Measured at most 1.9e-7, i.e. one or two float32 ulps: both sides sum the same products in
    // a different order (PyTorch's BLAS vs our kernels), and our CrossEntropyLoss averages in double.
    private const double LossTolerance = 1e-4;

    // Gradients and final parameters: |C# − PyTorch| / max(|PyTorch|, Floor). A gradient entry is a sum over the
    // batch of products whose rounding error scales with the terms, not with the result, so an entry that nearly
    // cancels has a relative error that means nothing (LeakyNet has a −4.3e-6 gradient we match to 3e-4 relative,
    // 1.3e-9 absolute); below the floor the check becomes an absolute 1e-7. The largest gradients are 0.15–0.2 and
    // the parameters reach 0.2–0.8, so the floor is far below every value that carries signal. Measured: gradients
    // at most 5.8e-6 of that scale (3e-8 absolute), final parameters at most 6.5e-6 after 50 steps (1.0e-7
    // absolute): the per-step differences are ulp-sized and 50 SGD steps at these learning rates do not amplify
    // them much. By contrast, leaving out weight decay, dampening or Nesterov, or scaling momentum by 0.99,
    // moves the losses alone by 5e-4 to 9e-2 relative (each fails the test).
    private const double Floor = 1e-3;
    private const double GradientTolerance = 1e-4;
    private const double ParameterTolerance = 1e-4;

    [Fact]
    public void SeedNet_momentum_Sgd_matches_PyTorch()
    {
        var net = new SeedNet(seed: 0);
        Replay(net, SeedNet.ParameterCount, nameof(SeedNet));
    }

    [Fact]
    public void TanhSigmoidNet_nesterov_weight_decay_odd_batch_matches_PyTorch()
    {
        var net = new TanhSigmoidNet(seed: 0);
        Replay(net, TanhSigmoidNet.ParameterCount, nameof(TanhSigmoidNet));
    }

    [Fact]
    public void LeakyNet_dampened_momentum_weight_decay_matches_PyTorch()
    {
        var net = new LeakyNet(seed: 0);
        Replay(net, LeakyNet.ParameterCount, nameof(LeakyNet));
    }

    [Fact]
    public void GeluSiluNet_momentum_weight_decay_matches_PyTorch()
    {
        var net = new GeluSiluNet(seed: 0);
        Replay(net, GeluSiluNet.ParameterCount, nameof(GeluSiluNet));
    }

    [Fact]
    public void SmallSiluGeluNet_nesterov_odd_batch_in_registers_matches_PyTorch()
    {
        var net = new SmallSiluGeluNet(seed: 0);
        Replay(net, SmallSiluGeluNet.ParameterCount, nameof(SmallSiluGeluNet));
    }

    private void Replay(INetwork net, int parameterCount, string name)
    {
        GoldenFixture fixture = GoldenFixture.Load(name, net.InputSize);
        Assert.Equal(Steps, fixture.Steps);
        Assert.Equal(parameterCount, fixture.InitialParameters.Length);
        Assert.Equal(parameterCount, fixture.FirstGradients.Length);
        Assert.Equal(parameterCount, fixture.FinalParameters.Length);
        Assert.Equal(parameterCount, net.Parameters.Length);

        // Start from PyTorch's parameters, not from the network's own seeded initialisation.
        fixture.InitialParameters.CopyTo(net.Parameters);

        var criterion = new CrossEntropyLoss();
        GoldenFixture.SgdSettings sgd = fixture.Sgd;
        var optimizer = new Sgd(net, lr: sgd.Lr, momentum: sgd.Momentum, dampening: sgd.Dampening, weightDecay: sgd.WeightDecay, nesterov: sgd.Nesterov);

        float[] losses = new float[fixture.Steps];
        float[] firstGradients = new float[parameterCount];
        for (int step = 0; step < fixture.Steps; step++)
        {
            // The PyTorch loop, line for line.
            optimizer.ZeroGrad();
            var outputs = net.Forward(fixture.Inputs[step]);
            var loss = criterion.Forward(outputs, fixture.Labels[step]);
            loss.Backward();
            if (step == 0)
            {
                net.Gradients.CopyTo(firstGradients);
            }
            optimizer.Step();
            losses[step] = loss.Item();
        }
        float[] finalParameters = net.Parameters.ToArray();

        // Measure all three before asserting any, so a failing run still reports every difference.
        Difference lossDifference = Largest(losses, fixture.Losses, floor: 0);
        Difference gradientDifference = Largest(firstGradients, fixture.FirstGradients, floor: Floor);
        Difference parameterDifference = Largest(finalParameters, fixture.FinalParameters, floor: Floor);
        string lossReport = $"{name}: largest relative loss difference {lossDifference.Value:E2} over {fixture.Steps} steps, at step {lossDifference.Index} " +
            $"(PyTorch {fixture.Losses[lossDifference.Index]:G9}, C# {losses[lossDifference.Index]:G9}; tolerance {LossTolerance:E0})";
        string gradientReport = $"{name}: largest first-step gradient difference {gradientDifference.Value:E2} of max(|g|, {Floor:E0}), " +
            $"at {Describe(net, gradientDifference.Index)} (PyTorch {fixture.FirstGradients[gradientDifference.Index]:G9}, C# {firstGradients[gradientDifference.Index]:G9}; tolerance {GradientTolerance:E0})";
        string parameterReport = $"{name}: largest final-parameter difference {parameterDifference.Value:E2} of max(|p|, {Floor:E0}) after {fixture.Steps} steps, " +
            $"at {Describe(net, parameterDifference.Index)} (PyTorch {fixture.FinalParameters[parameterDifference.Index]:G9}, C# {finalParameters[parameterDifference.Index]:G9}; tolerance {ParameterTolerance:E0})";
        output.WriteLine(lossReport);
        output.WriteLine(gradientReport);
        output.WriteLine(parameterReport);

        Assert.True(lossDifference.Value <= LossTolerance, lossReport);
        Assert.True(gradientDifference.Value <= GradientTolerance, gradientReport);
        Assert.True(parameterDifference.Value <= ParameterTolerance, parameterReport);
    }

    /// <summary>Names a flat index the PyTorch way, e.g. <c>2.weight[17]</c>.</summary>
    private static string Describe(INetwork net, int index)
    {
        foreach (ParameterTensor tensor in net.NamedParameters)
        {
            if (index >= tensor.Offset && index < tensor.Offset + tensor.Length)
            {
                return $"{tensor.Name}[{index - tensor.Offset}] (flat {index})";
            }
        }
        return $"flat index {index}";
    }

    private readonly record struct Difference(double Value, int Index);

    /// <summary>The largest <c>|actual − expected| / max(|expected|, floor)</c> and where it is.</summary>
    private static Difference Largest(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double floor)
    {
        double largest = -1;
        int index = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i];
            double difference = Math.Abs((double)actual[i] - e) / Math.Max(Math.Abs(e), floor);
            if (!(difference <= largest))
            {
                largest = difference;
                index = i;
            }
        }
        return new Difference(largest, index);
    }
}
