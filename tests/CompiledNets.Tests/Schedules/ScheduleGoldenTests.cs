using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CompiledNets.Tests.Golden;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests.Schedules;

/// <summary>
/// Every learning-rate schedule replayed against PyTorch 1.13 (<c>tests/fixtures/make_schedule_fixtures.py</c>): the
/// learning rate after construction and after each of 110–120 steps, and OneCycleLR's momentum (SGD's or Adam's β₁).
/// </summary>
public class ScheduleGoldenTests(ITestOutputHelper output)
{
    private static readonly JsonElement Fixture = FixtureJson.Load("Schedules/schedules.json");

    public static IEnumerable<object[]> Cases() => Fixture.Names("cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_learning_rate_and_momentum_matches_PyTorch(string name)
    {
        JsonElement c = Fixture.Case("cases", name);
        var net = new SeedNet(seed: 0);
        float lr = (float)c.GetProperty("optimizerLr").GetDouble();
        IOptimizer optimizer = c.GetProperty("optimizer").GetString() == "Adam"
            ? new Adam(net, lr)
            : new Sgd(net, lr, momentum: c.Has("optimizerMomentum") ? (float)c.GetProperty("optimizerMomentum").GetDouble() : 0f);
        JsonElement o = c.GetProperty("options");
        double D(string key) => o.GetProperty(key).GetDouble();
        int I(string key) => o.GetProperty(key).GetInt32();
        string kind = c.GetProperty("scheduler").GetString()!;
        double[] expected = c.GetProperty("lrs").Doubles();
        double[]? expectedMomentums = c.Has("momentums") ? c.GetProperty("momentums").Doubles() : null;
        double[]? metrics = c.Has("metrics") ? c.GetProperty("metrics").Doubles() : null;

        var lrs = new List<double>();
        var optimizerLrs = new List<float>();
        var momentums = new List<float>();
        void Record(double last)
        {
            lrs.Add(last);
            optimizerLrs.Add(optimizer.Lr);
            if (optimizer is IMomentumOptimizer m) momentums.Add(m.Momentum);
        }
        if (kind == "ReduceLROnPlateau")
        {
            var plateau = new ReduceLROnPlateau(optimizer, o.GetProperty("mode").GetString() == "min" ? PlateauMode.Min : PlateauMode.Max, D("factor"), I("patience"),
                D("threshold"), o.GetProperty("thresholdMode").GetString() == "rel" ? ThresholdMode.Rel : ThresholdMode.Abs, I("cooldown"), D("minLr"), D("eps"));
            Record(plateau.LastLr);
            foreach (double metric in metrics!)
            {
                optimizer.Step();
                plateau.Step(metric);
                Record(plateau.LastLr);
            }
        }
        else
        {
            LRScheduler schedule = kind switch
            {
                "StepLR" => new StepLR(optimizer, I("stepSize"), D("gamma")),
                "MultiStepLR" => new MultiStepLR(optimizer, o.GetProperty("milestones").Ints(), D("gamma")),
                "ExponentialLR" => new ExponentialLR(optimizer, D("gamma")),
                "CosineAnnealingLR" => new CosineAnnealingLR(optimizer, I("tMax"), D("etaMin")),
                "LinearLR" => new LinearLR(optimizer, D("startFactor"), D("endFactor"), I("totalIters")),
                "OneCycleLR" => new OneCycleLR(optimizer, D("maxLr"), I("totalSteps"), D("pctStart"),
                    o.GetProperty("annealStrategy").GetString() == "cos" ? AnnealStrategy.Cos : AnnealStrategy.Linear, o.GetProperty("cycleMomentum").GetBoolean(),
                    D("baseMomentum"), D("maxMomentum"), D("divFactor"), D("finalDivFactor"), o.GetProperty("threePhase").GetBoolean()),
                _ => throw new ArgumentException($"unknown schedule {kind}"),
            };
            Record(schedule.LastLr);
            for (int step = 0; step < c.GetProperty("steps").GetInt32(); step++)
            {
                optimizer.Step();
                schedule.Step();
                Record(schedule.LastLr);
            }
            if (schedule is OneCycleLR)
            {
                // PyTorch refuses the step after the last one; so does this, changing nothing.
                float before = optimizer.Lr;
                Assert.Throws<InvalidOperationException>(schedule.Step);
                Assert.Equal(before, optimizer.Lr);
            }
        }

        Assert.Equal(expected.Length, lrs.Count);
        double lrDifference = 0, optimizerDifference = 0, momentumDifference = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] < 0)
            {
                // PyTorch's linear OneCycle goes below 0 on its last step; this one stops at 0.
                Assert.Equal(0, lrs[i]);
                continue;
            }
            lrDifference = Math.Max(lrDifference, FixtureJson.Relative(lrs[i], expected[i], 1e-12));
            optimizerDifference = Math.Max(optimizerDifference, FixtureJson.Relative(optimizerLrs[i], (float)expected[i], 1e-12));
            if (expectedMomentums is not null)
            {
                momentumDifference = Math.Max(momentumDifference, FixtureJson.Relative(momentums[i], expectedMomentums[i], 1e-12));
            }
        }
        output.WriteLine($"{name}: {expected.Length} learning rates, largest relative difference from PyTorch {lrDifference:E2} " +
            $"(the optimizer's float {optimizerDifference:E2}), momentum {momentumDifference:E2}");
        // The optimizer's learning rate is a float32 (PyTorch's a double): the schedule starts from it, so a few float
        // roundings apart is as close as it gets.
        Assert.True(lrDifference < 1e-7, $"learning rates differ by {lrDifference:E2}");
        Assert.True(optimizerDifference < 2.5e-7, $"the optimizer's learning rates differ by {optimizerDifference:E2}");
        Assert.True(momentumDifference < 1e-7, $"momentums differ by {momentumDifference:E2}");
    }
}
