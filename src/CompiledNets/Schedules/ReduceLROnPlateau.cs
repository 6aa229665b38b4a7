using System;
using System.Collections.Generic;
using System.Globalization;

namespace CompiledNets;

/// <summary>Whether a monitored metric should fall (a loss) or rise (an accuracy).</summary>
public enum PlateauMode
{
    /// <summary>Lower is better.</summary>
    Min,

    /// <summary>Higher is better.</summary>
    Max,
}

/// <summary>How <see cref="ReduceLROnPlateau.Threshold"/> measures an improvement.</summary>
public enum ThresholdMode
{
    /// <summary>Relative: better than best · (1 ∓ threshold).</summary>
    Rel,

    /// <summary>Absolute: better than best ∓ threshold.</summary>
    Abs,
}

/// <summary>
/// Divides the learning rate when a metric stops improving, as PyTorch's <c>ReduceLROnPlateau</c>: after each epoch,
/// <see cref="Step"/> with the metric; once more than <see cref="Patience"/> epochs in a row failed to beat the best by
/// the threshold, <c>lr = max(lr · factor, min_lr)</c> (skipped when the change is at most <c>eps</c>), then
/// <see cref="Cooldown"/> epochs pass before bad epochs count again.
/// </summary>
/// <remarks>
/// Better means, in min mode, <c>a &lt; best · (1 − threshold)</c> (relative) or <c>a &lt; best − threshold</c>
/// (absolute); in max mode <c>a &gt; best · (1 + threshold)</c> or <c>a &gt; best + threshold</c>. A NaN metric is
/// never better.
/// </remarks>
public sealed class ReduceLROnPlateau : IStateful
{
    private double _best;
    private double _lr;

    /// <summary>Creates the schedule; it leaves the learning rate as it is until a plateau.</summary>
    /// <param name="optimizer">The optimizer whose learning rate is reduced.</param>
    /// <param name="mode">Whether the metric should fall or rise.</param>
    /// <param name="factor">The reduction factor, in [0, 1).</param>
    /// <param name="patience">Epochs without improvement tolerated, ≥ 0.</param>
    /// <param name="threshold">The least improvement that counts, finite and ≥ 0.</param>
    /// <param name="thresholdMode">Relative or absolute threshold.</param>
    /// <param name="cooldown">Epochs after a reduction before bad epochs count again, ≥ 0.</param>
    /// <param name="minLr">The smallest learning rate, finite and ≥ 0.</param>
    /// <param name="eps">Changes smaller than this are skipped, finite and ≥ 0.</param>
    public ReduceLROnPlateau(IOptimizer optimizer, PlateauMode mode = PlateauMode.Min, double factor = 0.1, int patience = 10, double threshold = 1e-4,
        ThresholdMode thresholdMode = ThresholdMode.Rel, int cooldown = 0, double minLr = 0, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Expected PlateauMode.Min or PlateauMode.Max.");
        if (!(factor >= 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "Expected a factor in [0, 1).");
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "Expected a patience >= 0.");
        ScheduleChecks.Factor(threshold, nameof(threshold));
        if (!Enum.IsDefined(thresholdMode)) throw new ArgumentOutOfRangeException(nameof(thresholdMode), thresholdMode, "Expected ThresholdMode.Rel or ThresholdMode.Abs.");
        if (cooldown < 0) throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, "Expected a cooldown >= 0.");
        ScheduleChecks.LearningRate(minLr, nameof(minLr));
        ScheduleChecks.Factor(eps, nameof(eps));
        Optimizer = optimizer;
        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        ThresholdMode = thresholdMode;
        Cooldown = cooldown;
        MinLr = minLr;
        Eps = eps;
        _best = mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
        _lr = optimizer.Lr;
    }

    /// <summary>The optimizer whose learning rate is reduced.</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>Whether the metric should fall or rise.</summary>
    public PlateauMode Mode { get; }

    /// <summary>The reduction factor.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>The least improvement that counts.</summary>
    public double Threshold { get; }

    /// <summary>Relative or absolute threshold.</summary>
    public ThresholdMode ThresholdMode { get; }

    /// <summary>Epochs after a reduction before bad epochs count again.</summary>
    public int Cooldown { get; }

    /// <summary>The smallest learning rate.</summary>
    public double MinLr { get; }

    /// <summary>Changes smaller than this are skipped.</summary>
    public double Eps { get; }

    /// <summary>The best metric so far (±∞ before the first step).</summary>
    public double Best => _best;

    /// <summary>Epochs in a row that did not beat the best.</summary>
    public int NumBadEpochs { get; private set; }

    /// <summary>Epochs of cooldown left.</summary>
    public int CooldownCounter { get; private set; }

    /// <summary>Steps taken.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>The learning rate after the last step, in double (PyTorch's <c>_last_lr[0]</c>).</summary>
    public double LastLr => _lr;

    /// <summary>Records one epoch's <paramref name="metric"/> and reduces the learning rate on a plateau.</summary>
    public void Step(double metric)
    {
        if (LastEpoch == int.MaxValue)
        {
            throw new InvalidOperationException($"The schedule has taken {int.MaxValue} steps, the most it counts.");
        }
        LastEpoch++;
        if (IsBetter(metric))
        {
            _best = metric;
            NumBadEpochs = 0;
        }
        else
        {
            NumBadEpochs++;
        }
        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            NumBadEpochs = 0;
        }
        double current = ScheduleChecks.CurrentLr(Optimizer, _lr);
        if (NumBadEpochs > Patience)
        {
            double reduced = Math.Max(current * Factor, MinLr);
            if (current - reduced > Eps)
            {
                current = reduced;
                Optimizer.Lr = (float)reduced;
            }
            CooldownCounter = Cooldown;
            NumBadEpochs = 0;
        }
        _lr = current;
    }

    private bool IsBetter(double metric) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Rel) => metric < _best * (1 - Threshold),
        (PlateauMode.Min, ThresholdMode.Abs) => metric < _best - Threshold,
        (PlateauMode.Max, ThresholdMode.Rel) => metric > _best * (Threshold + 1),
        _ => metric > _best + Threshold,
    };

    private string Settings => string.Create(CultureInfo.InvariantCulture,
        $"ReduceLROnPlateau(mode={Mode}, factor={Factor:R}, patience={Patience}, threshold={Threshold:R}, threshold_mode={ThresholdMode}, " +
        $"cooldown={Cooldown}, min_lr={MinLr:R}, eps={Eps:R})");

    /// <inheritdoc/>
    public StateDict StateDict()
    {
        var state = new StateDict();
        state.Add("kind", nameof(ReduceLROnPlateau));
        state.Add("settings", Settings);
        state.Add("best", _best);
        state.Add("num_bad_epochs", (long)NumBadEpochs);
        state.Add("cooldown_counter", (long)CooldownCounter);
        state.Add("last_epoch", (long)LastEpoch);
        state.Add("last_lr", _lr);
        return state;
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> CheckStateDict(StateDict state)
    {
        var problems = new List<string>();
        if (!ScheduleChecks.CheckCommon(state, nameof(ReduceLROnPlateau), Settings, problems))
        {
            return problems;
        }
        if (state["best"] is not double best || double.IsNaN(best))
        {
            problems.Add($"its best metric is {CompiledNets.StateDict.Describe(state["best"])}, not a number");
        }
        ScheduleChecks.CheckCount(state, "num_bad_epochs", problems);
        ScheduleChecks.CheckCount(state, "cooldown_counter", problems);
        return problems;
    }

    /// <inheritdoc/>
    public void LoadStateDict(StateDict state)
    {
        IReadOnlyList<string> problems = CheckStateDict(state);
        if (problems.Count > 0)
        {
            throw new ArgumentException("The state does not fit this schedule: " + string.Join("; ", problems), nameof(state));
        }
        _best = state.Number("best");
        NumBadEpochs = (int)state.Integer("num_bad_epochs");
        CooldownCounter = (int)state.Integer("cooldown_counter");
        LastEpoch = (int)state.Integer("last_epoch");
        _lr = state.Number("last_lr");
        Optimizer.Lr = (float)_lr;
    }
}
