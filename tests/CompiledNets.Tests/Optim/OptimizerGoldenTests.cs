using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CompiledNets.Tests.Golden;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests.Optim;

/// <summary>
/// Adam, AdamW, RMSprop and SGD (with gradient clipping) replayed against PyTorch 1.13 runs recorded by
/// <c>tests/fixtures/make_optim_fixtures.py</c>: 60 steps of SeedNet each, every loss and the final parameters compared.
/// </summary>
public class OptimizerGoldenTests(ITestOutputHelper output)
{
    /// <summary>Relative tolerance of the issue; values below the floor are compared against it.</summary>
    private const double Tolerance = 1e-4, Floor = 1e-2;

    private static readonly JsonElement Fixture = FixtureJson.Load("Optim/optimizers.json");

    public static IEnumerable<object[]> Cases() => Fixture.Names("cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_loss_and_the_final_parameters_match_PyTorch(string name)
    {
        JsonElement run = Fixture.Case("cases", name);
        float[][] inputs = Fixture.GetProperty("inputs").EnumerateArray().Select(e => e.Floats()).ToArray();
        int[][] labels = Fixture.GetProperty("labels").EnumerateArray().Select(e => e.Ints()).ToArray();
        var net = new SeedNet(seed: 0);
        Fixture.GetProperty("initialParameters").Floats().CopyTo(net.Parameters);
        IOptimizer optimizer = Create(net, run.GetProperty("optimizer").GetString()!, run.GetProperty("options"));
        float? clip = run.Has("clipMaxNorm") ? (float)run.GetProperty("clipMaxNorm").GetDouble() : null;
        float[] expectedLosses = run.GetProperty("losses").Floats();
        float[]? expectedNorms = run.Has("clipNorms") ? run.GetProperty("clipNorms").Floats() : null;
        var criterion = new CrossEntropyLoss();

        var losses = new float[expectedLosses.Length];
        var norms = new float[expectedLosses.Length];
        for (int step = 0; step < expectedLosses.Length; step++)
        {
            optimizer.ZeroGrad();
            Loss loss = criterion.Forward(net.Forward(inputs[step]), labels[step]);
            loss.Backward();
            if (clip is { } maxNorm)
            {
                norms[step] = net.ClipGradNorm(maxNorm);
            }
            optimizer.Step();
            losses[step] = loss.Item();
        }

        double lossDifference = FixtureJson.MaxRelative(losses, expectedLosses, Floor);
        double parameterDifference = FixtureJson.MaxRelative(net.Parameters, run.GetProperty("finalParameters").Floats(), Floor);
        double normDifference = expectedNorms is null ? 0 : FixtureJson.MaxRelative(norms, expectedNorms, Floor);
        output.WriteLine($"{name}: largest relative difference from PyTorch: losses {lossDifference:E2}, final parameters {parameterDifference:E2}, clip norms {normDifference:E2}");
        Assert.True(lossDifference < Tolerance, $"losses differ by {lossDifference:E2}");
        Assert.True(parameterDifference < Tolerance, $"final parameters differ by {parameterDifference:E2}");
        Assert.True(normDifference < Tolerance, $"clip norms differ by {normDifference:E2}");
    }

    private static IOptimizer Create(INetwork net, string kind, JsonElement o)
    {
        float F(string key) => (float)o.GetProperty(key).GetDouble();
        bool B(string key) => o.GetProperty(key).GetBoolean();
        return kind switch
        {
            "Adam" => new Adam(net, F("lr"), F("beta1"), F("beta2"), F("eps"), F("weightDecay"), B("amsgrad")),
            "AdamW" => new AdamW(net, F("lr"), F("beta1"), F("beta2"), F("eps"), F("weightDecay"), B("amsgrad")),
            "RmsProp" => new RmsProp(net, F("lr"), F("alpha"), F("eps"), F("weightDecay"), F("momentum"), B("centered")),
            "Sgd" => new Sgd(net, F("lr"), F("momentum"), F("dampening"), F("weightDecay"), B("nesterov")),
            _ => throw new ArgumentException($"unknown optimizer {kind}"),
        };
    }

    [Fact]
    public void ClipGradNorm_matches_PyTorch_for_every_norm_and_leaves_small_gradients_alone()
    {
        JsonElement fixture = FixtureJson.Load("Optim/clip.json");
        var net = new SeedNet(seed: 0);
        foreach (JsonElement c in fixture.GetProperty("cases").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            JsonElement type = c.GetProperty("normType");
            float normType = type.ValueKind == JsonValueKind.String ? float.PositiveInfinity : (float)type.GetDouble();
            c.GetProperty("gradients").Floats().CopyTo(net.Gradients);
            float total = net.ClipGradNorm((float)c.GetProperty("maxNorm").GetDouble(), normType);
            double totalDifference = FixtureJson.Relative(total, c.GetProperty("totalNorm").GetDouble(), 1e-6);
            double clippedDifference = FixtureJson.MaxRelative(net.Gradients, c.GetProperty("clipped").Floats(), 1e-6);
            output.WriteLine($"{name}: total norm {total} (relative difference {totalDifference:E2}), clipped gradients {clippedDifference:E2}");
            Assert.True(totalDifference < 1e-6, $"{name}: total norm {total}");
            Assert.True(clippedDifference < 1e-6, $"{name}: clipped gradients differ by {clippedDifference:E2}");
        }
    }

    [Fact]
    public void ClipGradNorm_refuses_bad_arguments_and_a_nonfinite_norm_when_asked_before_changing_anything()
    {
        var net = new SeedNet(seed: 0);
        net.Gradients.Fill(1f);
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => net.ClipGradNorm(-1f)).ParamName);
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => net.ClipGradNorm(float.NaN)).ParamName);
        Assert.Equal("normType", Assert.Throws<ArgumentOutOfRangeException>(() => net.ClipGradNorm(1f, 0f)).ParamName);
        net.Gradients[3] = float.PositiveInfinity;
        float[] before = net.Gradients.ToArray();
        var error = Assert.Throws<InvalidOperationException>(() => net.ClipGradNorm(1f, errorIfNonfinite: true));
        Assert.Contains("Infinity", error.Message);
        Assert.Equal(before, net.Gradients.ToArray());
    }
}
