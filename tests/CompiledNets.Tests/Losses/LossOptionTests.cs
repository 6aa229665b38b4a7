using System;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests.Losses;

/// <summary>The losses' argument checks, and how a loss without reduction is read and back-propagated.</summary>
public class LossOptionTests
{
    [Fact]
    public void An_unreduced_loss_gives_its_values_and_needs_a_gradient_to_go_back()
    {
        var probe = new GradientProbe(2);
        Loss loss = new MSELoss(Reduction.None).Forward(probe.Forward([1f, 2f, 3f, 5f]), [0f, 0f, 3f, 3f]);
        Assert.True(loss.IsUnreduced);
        Assert.Equal([1f, 4f, 0f, 4f], loss.Values.ToArray());
        Assert.Contains("Backward(gradient)", Assert.Throws<InvalidOperationException>(() => loss.Backward()).Message);
        Assert.Contains("4 values", Assert.Throws<InvalidOperationException>(() => loss.Item()).Message);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => loss.Backward([1f])).ParamName);
        loss.Backward([1f, 0.5f, 2f, 0f]);
        // d/dx of Σ w_i (x_i − y_i)² = 2 w_i (x_i − y_i).
        Assert.Equal([2f, 2f, 0f, 0f], probe.LastGradient);

        // Cross-entropy without reduction has one loss per row, and its gradient weighs whole rows.
        Loss rows = new CrossEntropyLoss(Reduction.None).Forward(probe.Forward([0f, 0f, 5f, -5f]), [1, 0]);
        Assert.Equal(2, rows.Values.Length);
        Assert.Equal(MathF.Log(2f), rows.Values[0], 6);
        rows.Backward([2f, 0f]);
        Assert.Equal([1f, -1f, 0f, 0f], probe.LastGradient.Select(g => MathF.Round(g, 6)).ToArray());
    }

    [Fact]
    public void Under_NoGrad_an_unreduced_loss_still_has_values()
    {
        var net = new SeedNet(seed: 1);
        float[] inputs = TestData.Normal(4 * SeedNet.InputSize, seed: 1);
        using (net.NoGrad())
        {
            Loss loss = new CrossEntropyLoss(Reduction.None).Forward(net.Forward(inputs), [0, 1, 1, 0]);
            Assert.Equal(4, loss.Values.Length);
            Assert.True(loss.Values.ToArray().All(v => v > 0f));
            Assert.Contains("no graph", Assert.Throws<InvalidOperationException>(() => loss.Backward([1f, 1f, 1f, 1f])).Message);
        }
    }

    [Fact]
    public void Bad_options_and_targets_are_refused_naming_them()
    {
        Assert.Equal("delta", Assert.Throws<ArgumentOutOfRangeException>(() => new HuberLoss(delta: 0f)).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => new SmoothL1Loss(beta: -1f)).ParamName);
        Assert.Equal("posWeight", Assert.Throws<ArgumentOutOfRangeException>(() => new BCEWithLogitsLoss(posWeight: [1f, float.NaN])).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss(weight: [-1f, 1f])).ParamName);
        Assert.Equal("labelSmoothing", Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss(labelSmoothing: 1.5f)).ParamName);
        Assert.Equal("reduction", Assert.Throws<ArgumentOutOfRangeException>(() => new L1Loss((Reduction)7)).ParamName);

        var probe = new GradientProbe(3);
        var targets = Assert.Throws<ArgumentException>(() => new MSELoss().Forward(probe.Forward(new float[6]), new float[5]));
        Assert.Equal("targets", targets.ParamName);
        Assert.Contains("Expected 6 targets", targets.Message);
        var nan = Assert.Throws<ArgumentException>(() => new L1Loss().Forward(probe.Forward(new float[6]), [0f, 0f, 0f, 0f, float.NaN, 0f]));
        Assert.Contains("NaN", nan.Message);
        var columns = Assert.Throws<ArgumentException>(() => new BCEWithLogitsLoss(posWeight: [2f, 3f]).Forward(probe.Forward(new float[6]), new float[6]));
        Assert.Contains("2 columns", columns.Message);
        var classes = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss(weight: [1f, 2f]).Forward(probe.Forward(new float[6]), [0, 1]));
        Assert.Contains("2 classes, one per class weight", classes.Message);
        var label = Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss(ignoreIndex: -1).Forward(probe.Forward(new float[6]), [3, -1]));
        Assert.Contains("or the ignored label -1 but labels[0] = 3", label.Message);
    }
}
