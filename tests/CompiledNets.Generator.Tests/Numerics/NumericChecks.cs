using System;
using System.Collections.Generic;
using System.Linq;

namespace CompiledNets.Generator.Tests.Numerics;

/// <summary>What the random-network tests do to a network and how they compare what it computed.</summary>
internal static class NumericChecks
{
    /// <summary>
    /// One training pass on <paramref name="threads"/> threads from cleared gradients: the outputs, the parameter gradients
    /// for dLoss/doutputs = <paramref name="outputGradient"/>, and the input gradients. With more than one thread, a pass
    /// the pool cut for one (its workers' cores lately busy elsewhere: <c>Parallelism.ThreadsNow</c>) would compare one
    /// thread with itself, so the pass runs again, after the pool's solo stretch, until it ran cut for every thread.
    /// </summary>
    public static (float[] Outputs, float[] Gradients, float[] InputGradient) Train(INetwork net, float[] inputs, float[] outputGradient, int threads) =>
        threads == 1 ? TrainOnce(net, inputs, outputGradient, threads) : Parallelism.RunCutForEveryThread(() => TrainOnce(net, inputs, outputGradient, threads));

    private static (float[] Outputs, float[] Gradients, float[] InputGradient) TrainOnce(INetwork net, float[] inputs, float[] outputGradient, int threads)
    {
        net.ThreadCount = threads;
        net.InputRequiresGrad = true;
        net.Gradients.Clear();
        float[] outputs = net.Forward(inputs).Data.ToArray();
        net.Backward(outputGradient);
        return (outputs, net.Gradients.ToArray(), net.InputGradient.ToArray());
    }

    /// <summary>Training passes on one, two and three threads, each after the first checked for the same bits as the first.</summary>
    public static (float[] Outputs, float[] Gradients, float[] InputGradient) TrainOnOneTwoAndThreeThreads(
        INetwork net, float[] inputs, float[] outputGradient, string where, List<string> failures)
    {
        var one = Train(net, inputs, outputGradient, threads: 1);
        foreach (int threads in new[] { 2, 3 })
        {
            var run = Train(net, inputs, outputGradient, threads);
            SameBits(one.Outputs, run.Outputs, $"{where}: outputs, {threads} threads against 1", failures);
            SameBits(one.Gradients, run.Gradients, $"{where}: gradients, {threads} threads against 1", failures);
            SameBits(one.InputGradient, run.InputGradient, $"{where}: input gradients, {threads} threads against 1", failures);
        }
        return one;
    }

    /// <summary>
    /// The parameter gradients of a batch as the sum of its slices' (of at most 256 rows, one thread): what a batch too
    /// large for the reference must give where rows are independent (no batch norm).
    /// </summary>
    public static double[] SumOfSlices(INetwork net, float[] inputs, float[] outputGradient, int inputSize, int outputSize)
    {
        int batch = inputs.Length / inputSize;
        var sum = new double[net.ParameterCount];
        for (int start = 0; start < batch; start += 256)
        {
            int rows = Math.Min(256, batch - start);
            var (_, gradients, _) = TrainOnce(net, inputs[(start * inputSize)..((start + rows) * inputSize)],
                outputGradient[(start * outputSize)..((start + rows) * outputSize)], threads: 1);
            for (int i = 0; i < sum.Length; i++) sum[i] += gradients[i];
        }
        return sum;
    }

    /// <summary><see cref="Close"/> for each parameter tensor on its own scale, so a small layer's gradients are not judged by a large one's.</summary>
    public static void CloseByTensor(double[] expected, float[] actual, IReadOnlyList<ParameterTensor> tensors, string what, List<string> failures)
    {
        foreach (ParameterTensor tensor in tensors)
        {
            Close(expected[tensor.Offset..(tensor.Offset + tensor.Length)], actual[tensor.Offset..(tensor.Offset + tensor.Length)],
                $"{what}, {tensor.Name}", failures);
        }
    }

    /// <summary>Normal draws (Box-Muller), as floats.</summary>
    public static float[] Normal(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }
        return values;
    }

    /// <summary>The rows <paramref name="rows"/> of a batch of rows <paramref name="width"/> wide, in that order.</summary>
    public static T[] Rows<T>(T[] values, int[] rows, int width) =>
        [.. rows.SelectMany(r => values.AsSpan(r * width, width).ToArray())];

    public static void SameBits(float[] expected, float[] actual, string what, List<string> failures)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                failures.Add($"{what}: first difference at [{i}] of {expected.Length}: {expected[i]:R} against {actual[i]:R}");
                return;
            }
        }
    }

    /// <summary>
    /// Every value within <paramref name="tolerance"/> of the largest expected magnitude: float sums against double ones
    /// err far less, a wrong, missing or repeated term (a row skipped, a tile run twice) far more.
    /// </summary>
    public static void Close(double[] expected, float[] actual, string what, List<string> failures, double tolerance = 2e-4)
    {
        if (expected.Length != actual.Length)
        {
            failures.Add($"{what}: {actual.Length} values, expected {expected.Length}");
            return;
        }
        double scale = expected.Length == 0 ? 0 : expected.Max(Math.Abs) + 1e-6;
        int count = 0;
        string first = "";
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance * scale) && count++ == 0)
            {
                first = $" the first at [{i}]: {actual[i]:R} for {expected[i]:R}";
            }
        }
        if (count > 0)
        {
            failures.Add($"{what}: {count} of {expected.Length} values off by more than {tolerance} of {scale:G4};{first}");
        }
    }
}
