using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Xunit;
using Xunit.Abstractions;
using static CompiledNets.Generator.Tests.Numerics.NumericChecks;

namespace CompiledNets.Generator.Tests.Numerics;

/// <summary>
/// Networks no one chose: random MLPs (<see cref="RandomMlp"/>, widths weighted toward the edges of vectors and
/// tiles), generated and compiled as a user's project would, then run at batches from 1 row to thousands. For each
/// network and batch: the outputs, the parameter gradients and the input gradients agree with a double-precision
/// reference, one-sample and batched inference agree with it too, and one, two and three threads give the same bits.
/// The seeds are fixed, so every run tries the same networks and a failure replays; the message names the network.
/// </summary>
public sealed class RandomNetworkNumericsTests(ITestOutputHelper log)
{
    // Beyond this many multiply-adds the reference (three times batch × parameters in double, unoptimized test code)
    // checks the outputs and input gradients of sampled rows only, not the gradients summed over every row.
    private const long ReferenceBudget = 20_000_000;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Random_networks_match_the_reference_at_every_batch_and_thread_count(int round)
    {
        var random = new Random(7_100 + round);
        RandomMlp[] networks = Enumerable.Range(0, 6).Select(i => RandomMlp.Draw(random, $"Net{i}")).ToArray();
        string source = "using CompiledNets;\n\n" + string.Join("\n", networks.Select(n => n.Declaration()));

        var clock = Stopwatch.StartNew();
        using CompiledNetworks compiled = CompiledNetworks.Compile(source);
        log.WriteLine($"compiled {networks.Length} networks in {clock.ElapsedMilliseconds} ms");

        var failures = new List<string>();
        foreach (RandomMlp mlp in networks)
        {
            clock.Restart();
            INetwork net = compiled.Create(mlp.Name, seed: round);
            Assert.Equal(mlp.ParameterCount, net.ParameterCount);
            Assert.Equal(net.ParameterCount, net.NamedParameters.Sum(t => t.Length));
            foreach (int batch in Batches(random, mlp))
            {
                try
                {
                    Check(net, mlp, batch, new Random(batch * 31 + round), failures);
                }
                catch (Exception e)
                {
                    failures.Add($"{mlp}, batch {batch}: {e.GetType().Name}: {e.Message}");
                }
            }
            log.WriteLine($"{mlp}: {clock.ElapsedMilliseconds} ms");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)) + "\n\n" + source);
    }

    /// <summary>1 row, a few, a few dozen, a few hundred, and enough rows that the largest layer splits into parts.</summary>
    private static IEnumerable<int> Batches(Random random, RandomMlp mlp)
    {
        yield return 1;
        yield return random.Next(2, 10);
        yield return random.Next(10, 41);
        yield return random.Next(41, 300);
        // Products split over threads from 2^18 multiply-adds a part: aim for at least eight parts.
        long rows = (8L << 18) / mlp.LargestLayer + random.Next(0, 64);
        yield return (int)Math.Clamp(rows, 300, 4_000);
    }

    private static void Check(INetwork net, RandomMlp mlp, int batch, Random random, List<string> failures)
    {
        float[] inputs = Normal(random, batch * mlp.InputSize);
        float[] outputGradient = Normal(random, batch * mlp.OutputSize);
        float[] parameters = net.Parameters.ToArray();
        string where = $"{mlp}, batch {batch}";

        // The reference: of every row where it is cheap, else of up to 64 sampled rows (outputs and input gradients are
        // per row; the parameter gradients, summed over every row, are then compared with the sum of the batch's slices').
        int[] sampled = batch <= 64 ? [.. Enumerable.Range(0, batch)] : [.. Enumerable.Range(0, 64).Select(_ => random.Next(batch)).Distinct().Order()];
        bool whole = (long)batch * mlp.ParameterCount * 3 <= ReferenceBudget;
        int[] rows = whole ? [.. Enumerable.Range(0, batch)] : sampled;
        var reference = mlp.Run(parameters, Rows(inputs, rows, mlp.InputSize), Rows(outputGradient, rows, mlp.OutputSize), rows.Length);
        // A row with a ReLU input on its kink (within float rounding) has no gradient precise enough to compare: draw it again.
        for (int attempt = 0; reference.NearKink.Contains(true); attempt++)
        {
            Assert.True(attempt < 10, $"{where}: rows on a ReLU's kink after {attempt} draws");
            foreach (int i in Enumerable.Range(0, rows.Length).Where(i => reference.NearKink[i]))
            {
                Normal(random, mlp.InputSize).CopyTo(inputs, rows[i] * mlp.InputSize);
            }
            reference = mlp.Run(parameters, Rows(inputs, rows, mlp.InputSize), Rows(outputGradient, rows, mlp.OutputSize), rows.Length);
        }

        var (outputs, gradients, inputGradient) = TrainOnOneTwoAndThreeThreads(net, inputs, outputGradient, where, failures);

        // Batched inference (no gradients) and one sample at a time.
        float[] inferred;
        using (net.NoGrad())
        {
            inferred = net.Forward(inputs).Data.ToArray();
        }
        float[] oneByOne = new float[sampled.Length * mlp.OutputSize];
        for (int s = 0; s < sampled.Length; s++)
        {
            net.Forward(inputs.AsSpan(sampled[s] * mlp.InputSize, mlp.InputSize), oneByOne.AsSpan(s * mlp.OutputSize, mlp.OutputSize));
        }

        Close(reference.Outputs, Rows(outputs, rows, mlp.OutputSize), $"{where}: training outputs", failures);
        Close(reference.Outputs, Rows(inferred, rows, mlp.OutputSize), $"{where}: batched inference", failures);
        Close(whole ? Rows(reference.Outputs, sampled, mlp.OutputSize) : reference.Outputs, oneByOne, $"{where}: one-sample inference", failures);
        Close(reference.InputGradient, Rows(inputGradient, rows, mlp.InputSize), $"{where}: input gradients", failures);
        if (whole)
        {
            CloseByTensor(reference.Gradients, gradients, net.NamedParameters, $"{where}: parameter gradients", failures);
        }
        else
        {
            // Too many rows for the reference's gradients: they are the sums of the gradients of the batch's slices.
            CloseByTensor(SumOfSlices(net, inputs, outputGradient, mlp.InputSize, mlp.OutputSize), gradients, net.NamedParameters,
                $"{where}: parameter gradients against the sum of its slices'", failures);
        }
    }
}
