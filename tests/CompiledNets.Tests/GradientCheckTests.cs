using System;
using System.Linq;
using CompiledNets.Tests.Reference;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests;

/// <summary>
/// The generated float forward and backward against a double-precision reference: logits and loss
/// directly, gradients by central finite differences of the reference loss.
/// </summary>
public sealed class GradientCheckTests(ITestOutputHelper output)
{
    private const int Batch = 6;

    /// <summary>
    /// Rows of a batch large enough for every register tile: tiles of 8 rows (machines with 32 vector registers) and one of
    /// 4 with spare rows, in every column step (panels, the pair of vectors after them, single and partial vectors); and at
    /// least 32, so that a packed layer of 128 inputs or more runs its packed tiles, not the small-batch dot products.
    /// </summary>
    private const int WideBatch = 35;

    [Theory]
    [MemberData(nameof(TestNetworks.AllWithSpatial), MemberType = typeof(TestNetworks))]
    public void Forward_matches_the_double_reference_in_wide_tiles(string name)
    {
        INetwork net = TestNetworks.Create(name, seed: 3);
        CheckForward(name, net, TestData.Normal(WideBatch * net.InputSize, seed: 6), WideBatch);
    }

    [Theory]
    [MemberData(nameof(TestNetworks.AllWithSpatial), MemberType = typeof(TestNetworks))]
    public void Forward_matches_the_double_reference(string name)
    {
        INetwork net = TestNetworks.Create(name, seed: 3);
        Assert.Equal(ReferenceNetwork.For(net).ParameterCount, net.ParameterCount);
        float[] inputs = TestData.Normal(Batch * net.InputSize, seed: 5);
        double[] expected = CheckForward(name, net, inputs, Batch);

        // One-sample inference gives the same logits as the batched forward, row by row (a network with batch
        // normalization normalizes one sample with its running statistics instead: ConvGoldenTests checks that path).
        if (net.NamedBuffers.Count > 0)
        {
            return;
        }
        Span<float> single = stackalloc float[net.OutputSize];
        for (int b = 0; b < Batch; b++)
        {
            net.Forward(inputs.AsSpan(b * net.InputSize, net.InputSize), single);
            for (int c = 0; c < net.OutputSize; c++)
            {
                Assert.Equal(expected[b * net.OutputSize + c], single[c], 1e-5);
            }
        }
    }

    /// <summary>The batched forward of <paramref name="batch"/> rows against the double reference, within 1e-5 relative; returns the reference's outputs.</summary>
    private double[] CheckForward(string name, INetwork net, float[] inputs, int batch)
    {
        ReferenceNetwork reference = ReferenceNetwork.For(net);
        var outputs = net.Forward(inputs);
        double[] expected = reference.Forward(TestData.ToDouble(net.Parameters), TestData.ToDouble(inputs), batch);

        Assert.Equal(expected.Length, outputs.Data.Length);
        double largest = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(outputs.Data[i] - expected[i]) / Math.Max(1, Math.Abs(expected[i])));
        }
        output.WriteLine($"{name}, {batch} rows: largest logit difference {largest:E2}");
        Assert.True(largest < 1e-5, $"{name}, {batch} rows: largest logit difference {largest:E2}");
        return expected;
    }

    [Theory]
    [MemberData(nameof(TestNetworks.AllWithSpatial), MemberType = typeof(TestNetworks))]
    public void Backward_matches_central_differences(string name) => CheckBackward(name, Batch);

    // The MLPs only: a batch's rows are the rows of their products' tiles; a convolution's tiles run over channels and
    // positions, whatever the batch (and its finite differences cost about a minute at this batch).
    [Theory]
    [MemberData(nameof(TestNetworks.All), MemberType = typeof(TestNetworks))]
    public void Backward_matches_central_differences_in_wide_tiles(string name) => CheckBackward(name, WideBatch);

    private void CheckBackward(string name, int batch)
    {
        INetwork net = TestNetworks.Create(name, seed: 7);
        ReferenceNetwork reference = ReferenceNetwork.For(net);
        float[] inputs = TestData.Normal(batch * net.InputSize, seed: 8);
        int[] labels = TestData.Labels(batch, net.OutputSize, seed: 9);

        var criterion = new CrossEntropyLoss();
        net.Gradients.Clear();
        var loss = criterion.Forward(net.Forward(inputs), labels);
        loss.Backward();

        double[] parameters = TestData.ToDouble(net.Parameters);
        double[] x = TestData.ToDouble(inputs);
        double expectedLoss = ReferenceNetwork.CrossEntropy(reference.Forward(parameters, x, batch), labels, net.OutputSize);
        Assert.Equal(expectedLoss, loss.Item(), 1e-5);

        // Every parameter of the small networks; for the 784-128-10 network, every bias and a
        // seeded sample of weights from each tensor (finite differences cost two forwards each).
        int[] indices = net.ParameterCount <= 5_000
            ? Enumerable.Range(0, net.ParameterCount).ToArray()
            : SampleEachTensor(net, perTensor: 150);

        double largestAbsolute = 0, largestRelative = 0, largestGradient = 0;
        int worst = -1;
        var numeric = new double[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            numeric[k] = reference.NumericGradient(parameters, indices[k], x, labels, net.OutputSize);
            largestGradient = Math.Max(largestGradient, Math.Abs(numeric[k]));
        }
        // Relative error with a floor: a gradient that is ~0 in double is ~1e-9 in float, which is fine.
        double floor = 1e-3 * largestGradient;
        for (int k = 0; k < indices.Length; k++)
        {
            double analytic = net.Gradients[indices[k]];
            double difference = Math.Abs(analytic - numeric[k]);
            double relative = difference / Math.Max(Math.Max(Math.Abs(analytic), Math.Abs(numeric[k])), floor);
            largestAbsolute = Math.Max(largestAbsolute, difference);
            if (relative > largestRelative)
            {
                largestRelative = relative;
                worst = indices[k];
            }
        }
        string report = $"{name}: {indices.Length} parameters checked, largest relative error {largestRelative:E2} (at {worst}), largest absolute {largestAbsolute:E2}, largest gradient {largestGradient:E2}";
        output.WriteLine(report);
        Assert.True(largestGradient > 0, $"{name}: every gradient is zero, the check would prove nothing");
        Assert.True(largestRelative < 1e-3, report);
    }

    /// <summary>
    /// dLoss/dinputs (<see cref="INetwork.InputGradient"/>, asked for with <see cref="INetwork.InputRequiresGrad"/>) against
    /// central differences of the reference loss in the inputs, for every kind of first layer; the parameter gradients
    /// are bit for bit those of a backward that was not asked for it.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestNetworks.EveryFirstLayer), MemberType = typeof(TestNetworks))]
    public void Input_gradient_matches_central_differences(string name)
    {
        INetwork net = TestNetworks.Create(name, seed: 7);
        ReferenceNetwork reference = ReferenceNetwork.For(net);
        float[] inputs = TestData.Normal(Batch * net.InputSize, seed: 8);
        int[] labels = TestData.Labels(Batch, net.OutputSize, seed: 9);
        var criterion = new CrossEntropyLoss();

        criterion.Forward(net.Forward(inputs), labels).Backward();
        float[] withoutInputGradient = net.Gradients.ToArray();
        Assert.Throws<InvalidOperationException>(() => net.InputGradient.Length);

        net.Gradients.Clear();
        net.InputRequiresGrad = true;
        criterion.Forward(net.Forward(inputs), labels).Backward();
        float[] inputGradient = net.InputGradient.ToArray();
        Assert.Equal(withoutInputGradient, net.Gradients.ToArray());
        Assert.Equal(inputs.Length, inputGradient.Length);

        double[] parameters = TestData.ToDouble(net.Parameters);
        double[] x = TestData.ToDouble(inputs);
        var rng = new Rng(23);
        int[] indices = x.Length <= 600 ? Enumerable.Range(0, x.Length).ToArray() : Enumerable.Range(0, 600).Select(_ => rng.NextInt32(x.Length)).Distinct().ToArray();
        double[] numeric = indices.Select(i => reference.NumericInputGradient(parameters, i, x, labels, net.OutputSize)).ToArray();
        double largestGradient = numeric.Max(Math.Abs);
        double floor = 1e-3 * largestGradient, largestRelative = 0;
        for (int k = 0; k < indices.Length; k++)
        {
            double analytic = inputGradient[indices[k]];
            largestRelative = Math.Max(largestRelative, Math.Abs(analytic - numeric[k]) / Math.Max(Math.Max(Math.Abs(analytic), Math.Abs(numeric[k])), floor));
        }
        string report = $"{name}: {indices.Length} inputs checked, largest relative error {largestRelative:E2}, largest dLoss/dinput {largestGradient:E2}";
        output.WriteLine(report);
        Assert.True(largestGradient > 0, $"{name}: every input gradient is zero, the check would prove nothing");
        Assert.True(largestRelative < 1e-3, report);

        // It belongs to that backward: the next training forward lets it go.
        net.Forward(inputs);
        Assert.Throws<InvalidOperationException>(() => net.InputGradient.Length);
    }

    private static int[] SampleEachTensor(INetwork net, int perTensor)
    {
        var rng = new Rng(17);
        return net.NamedParameters
            .SelectMany(t => t.Length <= perTensor
                ? Enumerable.Range(t.Offset, t.Length)
                : Enumerable.Range(0, perTensor).Select(_ => t.Offset + rng.NextInt32(t.Length)))
            .Distinct()
            .ToArray();
    }
}
