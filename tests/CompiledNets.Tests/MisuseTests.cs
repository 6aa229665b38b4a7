using System;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>Calls in the wrong order or with impossible arguments: each raises a clear exception and changes nothing.</summary>
public sealed class MisuseTests
{
    [Fact]
    public void Step_between_forward_and_backward_is_refused_by_backward()
    {
        // PyTorch: "one of the variables needed for gradient computation has been modified by an inplace operation".
        var net = new SeedNet(seed: 0);
        var optimizer = new Sgd(net, lr: 0.1f);
        var criterion = new CrossEntropyLoss();
        float[] inputs = TestData.Normal(4 * SeedNet.InputSize, seed: 1);
        int[] labels = TestData.Labels(4, SeedNet.OutputSize, seed: 2);

        optimizer.ZeroGrad();
        var loss = criterion.Forward(net.Forward(inputs), labels);
        optimizer.Step();
        float[] gradients = net.Gradients.ToArray();
        var error = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("parameters", error.Message);
        Assert.Equal(gradients, net.Gradients.ToArray());
    }

    [Fact]
    public void Writing_the_parameters_between_forward_and_backward_is_refused_by_backward()
    {
        var net = new SeedNet(seed: 0);
        var criterion = new CrossEntropyLoss();
        var loss = criterion.Forward(net.Forward(TestData.Normal(3 * SeedNet.InputSize, seed: 1)), [0, 1, 1]);
        net.Parameters[0] += 1f;
        Assert.Contains("parameters", Assert.Throws<InvalidOperationException>(() => loss.Backward()).Message);
        Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void Default_loss_backward_says_it_is_a_default_loss()
    {
        var error = Assert.Throws<InvalidOperationException>(() => default(Loss).Backward());
        Assert.Contains("default(Loss)", error.Message);
        Assert.DoesNotContain("NoGrad", error.Message);

        var net = new SeedNet(seed: 0);
        Loss loss;
        using (net.NoGrad())
        {
            loss = new CrossEntropyLoss().Forward(net.Forward(TestData.Normal(2 * SeedNet.InputSize, seed: 1)), [0, 1]);
        }
        Assert.Contains("without gradients", Assert.Throws<InvalidOperationException>(() => loss.Backward()).Message);
    }

    [Fact]
    public void FiniteCheck_with_a_row_length_below_one_names_the_argument()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => FiniteCheck.ThrowIfNotFinite([float.NaN], 0, "x"));
        Assert.Equal("rowLength", error.ParamName);
        Assert.Contains("got 0", error.Message);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => FiniteCheck.ThrowIfNotFinite([1f, float.NaN], 1, "x")).ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Parallelism_run_with_fewer_than_one_part_names_the_argument(int parts)
    {
        var work = new CountingWork();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.Run(work, 0, parts));
        Assert.Equal("parts", error.ParamName);
        Assert.Contains($"got {parts}", error.Message);
        Assert.Equal(0, work.Calls);
    }

    [Fact]
    public void Forward_on_more_rows_than_one_buffer_holds_names_the_limit_and_points_to_predict()
    {
        var net = new WideNet(seed: 0);
        // 126,400 rows × 17,000 hidden floats do not fit one array.
        var error = Assert.Throws<ArgumentException>(() => net.Forward(new float[126_400 * WideNet.InputSize]));
        Assert.Equal("inputs", error.ParamName);
        Assert.Contains("Predict", error.Message);
    }

    private sealed class CountingWork : IParallelWork
    {
        public int Calls;

        public void RunPart(int work, int part, int parts) => Calls++;
    }
}
