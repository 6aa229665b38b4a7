using System;
using Xunit;

namespace CompiledNets.Tests.Schedules;

/// <summary>Schedules beyond the fixtures: argument checks, state for checkpoints, other writers of the learning rate.</summary>
public class ScheduleTests
{
    [Fact]
    public void Bad_arguments_name_the_argument_and_change_nothing()
    {
        var net = new SeedNet(seed: 1);
        var sgd = new Sgd(net, lr: 0.1f);
        Assert.Equal("stepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(sgd, 0)).ParamName);
        Assert.Equal("milestones", Assert.Throws<ArgumentOutOfRangeException>(() => new MultiStepLR(sgd, [5, -1])).ParamName);
        Assert.Equal("tMax", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(sgd, 0)).ParamName);
        Assert.Equal("startFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(sgd, startFactor: 0)).ParamName);
        Assert.Equal("endFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(sgd, endFactor: 1.5)).ParamName);
        Assert.Equal("totalSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleLR(sgd, 0.1, 0)).ParamName);
        Assert.Equal("pctStart", Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleLR(sgd, 0.1, 10, pctStart: 1.5)).ParamName);
        Assert.Equal("pctStart", Assert.Throws<ArgumentException>(() => new OneCycleLR(sgd, 0.1, 10, pctStart: 0.1)).ParamName);
        Assert.Equal("factor", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(sgd, factor: 1)).ParamName);
        Assert.Equal("patience", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(sgd, patience: -1)).ParamName);
        Assert.Equal(0.1f, sgd.Lr);
        Assert.Equal(0f, sgd.Momentum);
    }

    [Fact]
    public void OneCycle_needs_a_momentum_to_cycle_and_keeps_Adams_beta1_below_one()
    {
        var net = new SeedNet(seed: 1);
        var noMomentum = new NoMomentumOptimizer(net);
        var error = Assert.Throws<ArgumentException>(() => new OneCycleLR(noMomentum, 0.1, 100));
        Assert.Contains("cycleMomentum: false", error.Message);
        _ = new OneCycleLR(noMomentum, 0.1, 100, cycleMomentum: false);
        Assert.Equal("maxMomentum", Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleLR(new Adam(net), 0.1, 100, maxMomentum: 1.0)).ParamName);
    }

    [Fact]
    public void A_state_dict_resumes_a_schedule_and_its_momentum()
    {
        var net = new SeedNet(seed: 1);
        var sgd = new Sgd(net, lr: 0.1f, momentum: 0.9f);
        var schedule = new OneCycleLR(sgd, 0.1, 50);
        for (int i = 0; i < 20; i++) schedule.Step();
        var other = new Sgd(new SeedNet(seed: 2), lr: 0.1f, momentum: 0.9f);
        var resumed = new OneCycleLR(other, 0.1, 50);
        Assert.Empty(resumed.CheckStateDict(schedule.StateDict()));
        resumed.LoadStateDict(schedule.StateDict());
        Assert.Equal(sgd.Lr, other.Lr);
        Assert.Equal(sgd.Momentum, other.Momentum);
        for (int i = 0; i < 30; i++)
        {
            schedule.Step();
            resumed.Step();
            Assert.Equal(sgd.Lr, other.Lr);
            Assert.Equal(sgd.Momentum, other.Momentum);
        }
        Assert.Contains("OneCycleLR(max_lr=0.1, total_steps=50", Assert.Single(new OneCycleLR(other, 0.2, 50).CheckStateDict(schedule.StateDict())));
        Assert.Contains("'OneCycleLR' schedule but the schedule is StepLR", Assert.Single(new StepLR(other, 3).CheckStateDict(schedule.StateDict())));

        var plateau = new ReduceLROnPlateau(sgd, patience: 0);
        plateau.Step(1);
        plateau.Step(2);
        var copy = new ReduceLROnPlateau(other, patience: 0);
        copy.LoadStateDict(plateau.StateDict());
        Assert.Equal(plateau.Best, copy.Best);
        Assert.Equal(plateau.LastLr, copy.LastLr);
    }

    [Fact]
    public void A_learning_rate_set_by_someone_else_is_where_the_next_step_starts()
    {
        var sgd = new Sgd(new SeedNet(seed: 1), lr: 1f);
        var schedule = new ExponentialLR(sgd, 0.5);
        schedule.Step();
        Assert.Equal(0.5f, sgd.Lr);
        sgd.Lr = 0.1f;
        schedule.Step();
        Assert.Equal(0.05f, sgd.Lr, 7);
    }

    private sealed class NoMomentumOptimizer(INetwork network) : IOptimizer
    {
        public INetwork Network => network;
        public float Lr { get; set; } = 0.1f;
        public void ZeroGrad() { }
        public void Step() { }
        public StateDict StateDict() => new();
        public System.Collections.Generic.IReadOnlyList<string> CheckStateDict(StateDict state) => [];
        public void LoadStateDict(StateDict state) { }
    }
}
