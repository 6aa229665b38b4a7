using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using CompiledNets.Tests.Reference;
using Xunit;
using Xunit.Abstractions;
using static CompiledNets.Generator.Tests.Numerics.NumericChecks;

namespace CompiledNets.Generator.Tests.Numerics;

/// <summary>
/// Convolutional networks no one chose, and MLPs with batch norm (<see cref="RandomDeepNet"/>: drawn images or
/// sequences, kernels, strides, paddings, channels, batch norm and pooling), generated and compiled as a user's project
/// would. For each network and batch: one, two and three threads give the same bits; the outputs agree with the
/// double-precision <see cref="ReferenceNetwork"/> (training mode, so batch norm takes the batch's statistics); and every
/// parameter tensor's gradient, and the input gradient, agree with the reference's derivative along a random direction
/// (a central difference in double). A last batch, large enough that the products split over threads, is checked for
/// the same bits only. Fixed seeds: every run tries the same networks, and the message names the failing one.
/// </summary>
public sealed class RandomDeepNetNumericsTests(ITestOutputHelper log)
{
    // Directional derivatives: within this share of the size of the sum (the root of its squared terms): float rounding
    // moves it by about a hundredth of that, a wrong gradient row or a tenth of every term by far more.
    private const double DirectionalTolerance = 2e-3;

    // ... plus this share of the largest such size in the network (see the check).
    private const double FloorShare = 1e-4;

    // Multiply-adds of one reference forward pass of a batch (unoptimized test code; a check runs one for each parameter
    // tensor and more): the batches are sized by it.
    private const long ReferenceBudget = 10_000_000;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Random_deep_networks_match_the_reference_at_every_batch_and_thread_count(int round)
    {
        var random = new Random(9_300 + round);
        RandomDeepNet[] networks = Enumerable.Range(0, 6).Select(i => RandomDeepNet.Draw(random, $"Deep{i}")).ToArray();
        string source = "using CompiledNets;\n\n" + string.Join("\n", networks.Select(n => n.Declaration));

        var clock = Stopwatch.StartNew();
        using CompiledNetworks compiled = CompiledNetworks.Compile(source);
        log.WriteLine($"compiled {networks.Length} networks in {clock.ElapsedMilliseconds} ms");

        var failures = new List<string>();
        foreach (RandomDeepNet spec in networks)
        {
            clock.Restart();
            INetwork net = compiled.Create(spec.Name, seed: round);
            var reference = ReferenceNetwork.For(net);
            Assert.Equal(net.ParameterCount, net.NamedParameters.Sum(t => t.Length));
            bool batchNorm = net.Layers.Any(l => l.Kind is LayerKind.BatchNorm1d or LayerKind.BatchNorm2d);
            long perRow = Math.Max(1, MultiplyAdds(net.Layers));
            // Batches: batch norm refuses to run on a single value per channel, as PyTorch does, and on two its gradient is 0
            // in exact arithmetic (each value normalizes to ±1 whatever it was), so it starts at 3. Products split
            // over threads from 2^18 multiply-adds a part: where the largest batch the reference affords is less than eight
            // parts of the network's work, one more batch of that many is checked for the same bits on every thread count.
            int largest = (int)Math.Clamp(ReferenceBudget / 3 / perRow, 3, 600);
            int split = (int)Math.Min((8L << 18) / perRow, 4_000);
            int least = batchNorm ? 3 : 1;
            int[] batches = [least, random.Next(least + 1, 9), random.Next(9, 40), largest, .. split > largest ? new[] { split } : []];
            foreach (int batch in batches.Where(b => b <= largest || b == split).Distinct())
            {
                try
                {
                    Check(net, reference, spec, batch, batchNorm, batch <= largest, new Random(batch * 17 + round), failures);
                }
                catch (Exception e)
                {
                    failures.Add($"{spec}, batch {batch}: {e.GetType().Name}: {e.Message}");
                }
            }
            log.WriteLine($"{spec}: {MultiplyAdds(net.Layers)} multiply-adds a row, batches {string.Join(", ", batches)}: {clock.ElapsedMilliseconds} ms");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)) + "\n\n" + source);
    }

    private static void Check(
        INetwork net, ReferenceNetwork reference, RandomDeepNet spec, int batch, bool batchNorm, bool withReference, Random random, List<string> failures)
    {
        float[] inputs = Normal(random, batch * spec.InputSize);
        float[] outputGradient = Normal(random, batch * spec.OutputSize);
        float[] parameters = net.Parameters.ToArray();
        string where = $"{spec}, batch {batch}";

        var (outputs, gradients, inputGradient) = TrainOnOneTwoAndThreeThreads(net, inputs, outputGradient, where, failures);
        if (!withReference)
        {
            // Too large for the reference: without batch norm rows are independent, so the gradients are the sums of the
            // gradients of the batch's slices (each a batch the reference checks elsewhere).
            if (!batchNorm)
            {
                CloseByTensor(SumOfSlices(net, inputs, outputGradient, spec.InputSize, spec.OutputSize), gradients, net.NamedParameters,
                    $"{where}: parameter gradients against the sum of its slices'", failures);
            }
            return;
        }

        double[] p = [.. parameters.Select(v => (double)v)];
        double[] x = [.. inputs.Select(v => (double)v)];
        double[] expected = reference.Forward(p, x, batch);
        Close(expected, outputs, $"{where}: training outputs", failures);
        if (!batchNorm)
        {
            // Without batch norm, a row's outputs are its own: one sample at a time gives them too.
            float[] oneByOne = new float[batch * spec.OutputSize];
            for (int r = 0; r < batch; r++)
            {
                net.Forward(inputs.AsSpan(r * spec.InputSize, spec.InputSize), oneByOne.AsSpan(r * spec.OutputSize, spec.OutputSize));
            }
            Close(expected, oneByOne, $"{where}: one-sample inference", failures);
        }

        // L = Σ outputGradient · outputs, whose gradients backward computed: along a random direction of each tensor,
        // Σ gradient · direction against (L(p + h·d) − L(p − h·d)) / 2h of the reference.
        double lossSize = expected.Select((y, i) => Math.Abs(y * outputGradient[i])).Sum();
        double Loss(double[] ps, double[] xs) => reference.Forward(ps, xs, batch).Select((y, i) => y * outputGradient[i]).Sum();
        var derivatives = new List<Derivative>();
        foreach (ParameterTensor tensor in net.NamedParameters)
        {
            double[] direction = [.. Normal(random, tensor.Length).Select(v => (double)v)];
            derivatives.Add(Along(gradients.AsSpan(tensor.Offset, tensor.Length), direction, h =>
            {
                double[] shifted = (double[])p.Clone();
                for (int i = 0; i < direction.Length; i++) shifted[tensor.Offset + i] += h * direction[i];
                return Loss(shifted, x);
            }, $"gradient of {tensor.Name}"));
        }
        double[] inputDirection = [.. Normal(random, inputs.Length).Select(v => (double)v)];
        derivatives.Add(Along(inputGradient, inputDirection, h => Loss(p, [.. x.Select((v, i) => v + h * inputDirection[i])]), "input gradient"));

        // Within a share of the size of the sum (the root of its squared terms), and of the largest size in the network: a
        // gradient that is 0 or nearly so in exact arithmetic (a bias before batch norm, which subtracts it again; a weight
        // whose scale batch norm divides out) is the float rounding of sums as large as the other layers'. Plus the double
        // reference's rounding over the step. A step that moves a ReLU's input across its kink bends the difference: a
        // second, smaller one settles it.
        double floor = FloorShare * derivatives.Max(d => d.Size);
        foreach (Derivative d in derivatives)
        {
            bool Agrees(double numeric, double h) => Math.Abs(d.Analytic - numeric) <= DirectionalTolerance * d.Size + floor + 1e-15 * lossSize / h;
            double first = d.Numeric(1e-7);
            if (!Agrees(first, 1e-7) && d.Numeric(1e-8) is var second && !Agrees(second, 1e-8))
            {
                failures.Add($"{where}: {d.What}: {d.Analytic:G6} along a random direction, the reference's differences {first:G6} " +
                    $"and {second:G6} (steps 1e-7 and 1e-8; size {d.Size:G4}, the largest's share {floor:G4})");
            }
        }
    }

    /// <summary>
    /// A gradient along a direction (Σ gradient · direction), its size (the root of the sum of the squared terms: a bug
    /// that moves every term a little, or one term a lot, moves the sum by about that much), and the reference's central
    /// difference for a step.
    /// </summary>
    private sealed record Derivative(string What, double Analytic, double Size, Func<double, double> Numeric);

    private static Derivative Along(ReadOnlySpan<float> gradient, double[] direction, Func<double, double> loss, string what)
    {
        double analytic = 0, squares = 0;
        for (int i = 0; i < direction.Length; i++)
        {
            analytic += gradient[i] * direction[i];
            squares += (double)gradient[i] * direction[i] * gradient[i] * direction[i];
        }
        return new Derivative(what, analytic, Math.Sqrt(squares), h => (loss(h) - loss(-h)) / (2 * h));
    }

    /// <summary>Multiply-adds of one row's forward through the products (convolutions and Linear layers).</summary>
    private static long MultiplyAdds(IReadOnlyList<LayerInfo> layers) => layers.Sum(l => l.Kind switch
    {
        LayerKind.Linear => (long)l.InFeatures * l.OutFeatures,
        LayerKind.Conv2d or LayerKind.Conv1d when l.Window is { } w =>
            (long)w.OutChannels * w.OutHeight * w.OutWidth * w.InChannels * w.KernelSize * (w.Dimensions == 1 ? 1 : w.KernelSize),
        _ => 0L,
    });
}
