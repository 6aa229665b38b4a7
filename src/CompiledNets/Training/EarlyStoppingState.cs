using System;
using System.Collections.Generic;

namespace CompiledNets;

/// <summary>
/// Where early stopping stands during a <see cref="Trainer.Fit"/> run: the best value so far, its epoch, the epochs
/// since, and (with <see cref="EarlyStopping.RestoreBestWeights"/>) the best epoch's parameters. A checkpoint saves it, so
/// a resumed run stops at the epoch, and with the weights, of a run that never stopped.
/// </summary>
internal sealed class EarlyStoppingState : IStateful
{
    private readonly EarlyStopping? _rule;

    public EarlyStoppingState(EarlyStopping? rule, int parameterCount)
    {
        _rule = rule;
        Best = rule?.Worst ?? double.NaN;
        BestWeights = rule is { RestoreBestWeights: true } ? new float[parameterCount] : null;
    }

    public double Best { get; private set; }

    public int BestEpoch { get; private set; }

    public int SinceBest { get; private set; }

    public float[]? BestWeights { get; }

    /// <summary>Whether training should stop now.</summary>
    public bool ShouldStop => _rule is not null && SinceBest >= _rule.Patience;

    /// <summary>Records one epoch's value of the monitored metric; returns whether it is the best so far.</summary>
    public bool Record(int epoch, double value, ReadOnlySpan<float> parameters)
    {
        if (_rule is null)
        {
            BestEpoch = epoch;
            return true;
        }
        if (!_rule.Improves(value, Best))
        {
            SinceBest++;
            return false;
        }
        Best = value;
        BestEpoch = epoch;
        SinceBest = 0;
        if (BestWeights is not null) parameters.CopyTo(BestWeights);
        return true;
    }

    private string Settings => _rule is null
        ? "none"
        : FormattableString.Invariant($"EarlyStopping(monitor={_rule.Monitor}, patience={_rule.Patience}, min_delta={_rule.MinDelta:R}, restore_best_weights={_rule.RestoreBestWeights})");

    public StateDict StateDict()
    {
        var state = new StateDict();
        state.Add("kind", nameof(EarlyStopping));
        state.Add("settings", Settings);
        state.Add("best", Best);
        state.Add("best_epoch", (long)BestEpoch);
        state.Add("since_best", (long)SinceBest);
        if (BestWeights is not null) state.Add("best_weights", BestWeights);
        return state;
    }

    public IReadOnlyList<string> CheckStateDict(StateDict state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = new List<string>();
        if (state["kind"] as string != nameof(EarlyStopping))
        {
            problems.Add($"its training state is of kind {CompiledNets.StateDict.Describe(state["kind"])}, not EarlyStopping");
            return problems;
        }
        if (state["settings"] as string != Settings)
        {
            problems.Add($"it was saved with early stopping {CompiledNets.StateDict.Describe(state["settings"])} but this run has {Settings}");
        }
        if (state["best"] is not double) problems.Add($"its best metric is {CompiledNets.StateDict.Describe(state["best"])}, not a number");
        ScheduleChecks.CheckCount(state, "best_epoch", problems);
        ScheduleChecks.CheckCount(state, "since_best", problems);
        if (BestWeights is not null && (state["best_weights"] is not float[] weights || weights.Length != BestWeights.Length))
        {
            problems.Add($"its best weights are {CompiledNets.StateDict.Describe(state["best_weights"])}, not {BestWeights.Length} floats");
        }
        return problems;
    }

    public void LoadStateDict(StateDict state)
    {
        if (CheckStateDict(state) is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(state));
        }
        Best = state.Number("best");
        BestEpoch = (int)state.Integer("best_epoch");
        SinceBest = (int)state.Integer("since_best");
        if (BestWeights is not null) state.Tensor("best_weights").CopyTo(BestWeights, 0);
    }
}
