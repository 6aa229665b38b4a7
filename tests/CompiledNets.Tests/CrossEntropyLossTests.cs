using System;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests;

/// <summary>Cross-entropy against the direct formula −log(softmax(z)_y), in double, extreme logits included.</summary>
public sealed class CrossEntropyLossTests(ITestOutputHelper output)
{
    [Fact]
    public void Loss_and_gradient_match_the_direct_formula()
    {
        const int batch = 9, classes = 5;
        float[] logits = TestData.Normal(batch * classes, seed: 1, scale: 3f);
        int[] labels = TestData.Labels(batch, classes, seed: 2);
        var gradient = new float[logits.Length];

        float loss = CrossEntropyLoss.Compute(logits, labels, classes, gradient);

        double expectedLoss = 0, largest = 0;
        for (int b = 0; b < batch; b++)
        {
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.Exp(logits[b * classes + c]);
            expectedLoss += -Math.Log(Math.Exp(logits[b * classes + labels[b]]) / sum) / batch;
            for (int c = 0; c < classes; c++)
            {
                double softmax = Math.Exp(logits[b * classes + c]) / sum;
                double expected = (softmax - (c == labels[b] ? 1 : 0)) / batch;
                largest = Math.Max(largest, Math.Abs(gradient[b * classes + c] - expected));
            }
        }
        output.WriteLine($"loss {loss} vs {expectedLoss}; largest gradient difference {largest:E2}");
        Assert.Equal(expectedLoss, loss, 1e-6);
        Assert.True(largest < 1e-7, $"largest gradient difference {largest:E2}");
    }

    [Fact]
    public void Sum_reduction_is_batch_times_the_mean()
    {
        float[] logits = TestData.Normal(4 * 3, seed: 3);
        int[] labels = [0, 2, 1, 1];
        var meanGradient = new float[12];
        var sumGradient = new float[12];
        float mean = CrossEntropyLoss.Compute(logits, labels, 3, meanGradient, Reduction.Mean);
        float sum = CrossEntropyLoss.Compute(logits, labels, 3, sumGradient, Reduction.Sum);
        Assert.Equal(4 * mean, sum, 1e-5f);
        for (int i = 0; i < 12; i++) Assert.Equal(4 * meanGradient[i], sumGradient[i], 1e-6f);
    }

    [Theory]
    [InlineData(1000f, -1000f, 0, 0.0)]
    [InlineData(1000f, -1000f, 1, 2000.0)]
    [InlineData(-1000f, -1000f, 0, 0.69314718055994529)]
    [InlineData(1000f, 999f, 1, 1.3132616875182228)]
    public void Extreme_logits_stay_finite_and_exact(float z0, float z1, int label, double expected)
    {
        var gradient = new float[2];
        float loss = CrossEntropyLoss.Compute([z0, z1], [label], 2, gradient);
        Assert.True(float.IsFinite(loss), $"loss {loss}");
        Assert.Equal(expected, loss, 1e-4);
        Assert.True(float.IsFinite(gradient[0]) && float.IsFinite(gradient[1]));
        Assert.Equal(0f, gradient[0] + gradient[1], 1e-6f); // softmax sums to 1, one-hot sums to 1
    }

    [Fact]
    public void Label_out_of_range_throws_naming_it_and_writes_nothing()
    {
        float[] logits = [1f, 2f, 3f, 4f];
        float[] gradient = [7f, 7f, 7f, 7f];
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropyLoss.Compute(logits, [0, 2], 2, gradient));
        Assert.Equal("labels", error.ParamName);
        Assert.Contains("[0, 2)", error.Message);
        Assert.Contains("labels[1] = 2", error.Message);
        Assert.Equal([7f, 7f, 7f, 7f], gradient);

        Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropyLoss.Compute(logits, [-1, 0], 2, gradient));
    }

    [Fact]
    public void Wrong_lengths_throw_with_expected_and_actual()
    {
        var error = Assert.Throws<ArgumentException>(() => CrossEntropyLoss.Compute(new float[5], [0, 1], 2, new float[5]));
        Assert.Equal("logits", error.ParamName);
        Assert.Contains("Expected 2 x 2 = 4 logits", error.Message);
        Assert.Contains("got 5", error.Message);
    }

    [Fact]
    public void A_loss_of_outputs_computed_without_gradients_cannot_backward()
    {
        var net = new SeedNet(0);
        var criterion = new CrossEntropyLoss();
        Loss loss;
        using (net.NoGrad())
        {
            loss = criterion.Forward(net.Forward(new float[SeedNet.InputSize]), [1]);
        }
        Assert.True(loss.Item() > 0);
        var error = Assert.Throws<InvalidOperationException>(loss.Backward);
        Assert.Contains("NoGrad", error.Message);
    }
}
