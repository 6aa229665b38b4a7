using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CompiledNets.Tests.Golden;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests.Losses;

/// <summary>
/// Every loss, option and reduction against PyTorch 1.13 (<c>tests/fixtures/make_loss_fixtures.py</c>): the value (or the
/// values without reduction) and the gradient with respect to the outputs, extreme inputs included (logits of ±1000,
/// differences of ±1e4, exact ties, every target ignored).
/// </summary>
public class LossGoldenTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    private static readonly JsonElement Fixture = FixtureJson.Load("Losses/losses.json");

    public static IEnumerable<object[]> Cases() => Fixture.Names("cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Value_and_gradient_match_PyTorch(string name)
    {
        JsonElement c = Fixture.Case("cases", name);
        JsonElement o = c.GetProperty("options");
        int rows = c.GetProperty("rows").GetInt32(), columns = c.GetProperty("columns").GetInt32();
        float[] inputs = c.GetProperty("inputs").Floats();
        Reduction reduction = o.GetProperty("reduction").GetString() switch { "mean" => Reduction.Mean, "sum" => Reduction.Sum, _ => Reduction.None };
        var probe = new GradientProbe(columns);
        Outputs outputs = probe.Forward(inputs);
        string kind = c.GetProperty("loss").GetString()!;
        Loss loss;
        if (kind == "CrossEntropyLoss")
        {
            float[] weight = o.Has("weight") ? o.GetProperty("weight").Floats() : [];
            var criterion = new CrossEntropyLoss(reduction, weight, o.GetProperty("ignoreIndex").GetInt32(), (float)o.GetProperty("labelSmoothing").GetDouble());
            loss = criterion.Forward(outputs, c.GetProperty("targets").Ints());
        }
        else
        {
            float F(string key) => (float)o.GetProperty(key).GetDouble();
            ElementwiseLoss criterion = kind switch
            {
                "MSELoss" => new MSELoss(reduction),
                "L1Loss" => new L1Loss(reduction),
                "HuberLoss" => new HuberLoss(reduction, F("delta")),
                "SmoothL1Loss" => new SmoothL1Loss(reduction, F("beta")),
                "BCEWithLogitsLoss" => new BCEWithLogitsLoss(reduction, o.Has("posWeight") ? o.GetProperty("posWeight").Floats() : default),
                _ => throw new ArgumentException($"unknown loss {kind}"),
            };
            loss = criterion.Forward(outputs, c.GetProperty("targets").Floats());
        }

        double valueDifference;
        if (reduction == Reduction.None)
        {
            valueDifference = FixtureJson.MaxRelative(loss.Values, c.GetProperty("values").Floats(), 1e-3);
            loss.Backward(c.GetProperty("upstream").Floats());
        }
        else
        {
            double expected = c.GetProperty("value").Number();
            Assert.Equal(double.IsNaN(expected), float.IsNaN(loss.Item()));
            valueDifference = FixtureJson.Relative(loss.Item(), expected, 1e-3);
            loss.Backward();
        }
        // Gradients near 0 are compared against 1e-2 (a mean over about ten rows): float rounding of PyTorch is about 1e-8 there.
        double gradientDifference = FixtureJson.MaxRelative(probe.LastGradient, c.GetProperty("gradient").Floats(), 1e-2);
        output.WriteLine($"{name}: largest relative difference from PyTorch: value {valueDifference:E2}, gradient {gradientDifference:E2}");
        Assert.True(valueDifference < Tolerance, $"value differs by {valueDifference:E2}");
        Assert.True(gradientDifference < Tolerance, $"gradient differs by {gradientDifference:E2}");
    }
}
