using System;
using System.Globalization;

namespace CompiledNets;

/// <summary>How <see cref="OneCycleLR"/> moves between two values.</summary>
public enum AnnealStrategy
{
    /// <summary>Cosine: <c>end + (start − end) / 2 · (cos(π · pct) + 1)</c> (PyTorch's default).</summary>
    Cos,

    /// <summary>Linear: <c>start + (end − start) · pct</c>.</summary>
    Linear,
}

/// <summary>
/// The 1cycle policy (Smith and Topin, "Super-Convergence", 2018) as PyTorch's <c>OneCycleLR</c>: the learning rate rises
/// from <c>max_lr / div_factor</c> to <c>max_lr</c> over the first <c>pct_start · total_steps − 1</c> steps, then falls
/// to <c>initial_lr / final_div_factor</c> at step <c>total_steps − 1</c>; the momentum (SGD's and RMSprop's, or Adam's
/// β₁) moves the other way between <c>max_momentum</c> and <c>base_momentum</c>. With <c>three_phase</c>, the rate
/// comes back to the initial one by step <c>2 · pct_start · total_steps − 2</c> before the final annealing. Each step's
/// values come from the closed form of its phase, with pct = (step − phase start) / (phase end − phase start).
/// </summary>
/// <remarks>
/// Step it once per batch; stepping more than <see cref="TotalSteps"/> times throws, as PyTorch does. The last allowed
/// step lies past the final phase; where PyTorch's linear annealing then gives a negative learning rate, this gives 0.
/// </remarks>
public sealed class OneCycleLR : LRScheduler
{
    private readonly (double EndStep, double StartLr, double EndLr, double StartMomentum, double EndMomentum)[] _phases;

    /// <summary>Creates the schedule and sets the learning rate (and momentum) of step 0.</summary>
    /// <param name="optimizer">The optimizer; with <paramref name="cycleMomentum"/>, one with a momentum (<see cref="IMomentumOptimizer"/>).</param>
    /// <param name="maxLr">The peak learning rate, finite and ≥ 0.</param>
    /// <param name="totalSteps">The steps of the cycle, ≥ 1 (epochs × batches per epoch).</param>
    /// <param name="pctStart">The share of the cycle spent rising, in [0, 1].</param>
    /// <param name="annealStrategy">Cosine or linear moves.</param>
    /// <param name="cycleMomentum">Whether to cycle the momentum inversely to the learning rate.</param>
    /// <param name="baseMomentum">The momentum at the peak learning rate.</param>
    /// <param name="maxMomentum">The momentum at the start and the end.</param>
    /// <param name="divFactor">initial_lr = maxLr / divFactor (&gt; 0).</param>
    /// <param name="finalDivFactor">min_lr = initial_lr / finalDivFactor (&gt; 0).</param>
    /// <param name="threePhase">Whether to come back to the initial rate before annealing to the minimum.</param>
    public OneCycleLR(IOptimizer optimizer, double maxLr, int totalSteps, double pctStart = 0.3, AnnealStrategy annealStrategy = AnnealStrategy.Cos,
        bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95, double divFactor = 25, double finalDivFactor = 1e4,
        bool threePhase = false)
        : base(optimizer)
    {
        ScheduleChecks.LearningRate(maxLr, nameof(maxLr));
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "Expected a positive number of total steps.");
        if (!(pctStart >= 0 && pctStart <= 1)) throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "Expected pct_start between 0 and 1.");
        if (!Enum.IsDefined(annealStrategy)) throw new ArgumentOutOfRangeException(nameof(annealStrategy), annealStrategy, "Expected AnnealStrategy.Cos or AnnealStrategy.Linear.");
        if (!(divFactor > 0) || !double.IsFinite(divFactor)) throw new ArgumentOutOfRangeException(nameof(divFactor), divFactor, "Expected a finite factor > 0.");
        if (!(finalDivFactor > 0) || !double.IsFinite(finalDivFactor)) throw new ArgumentOutOfRangeException(nameof(finalDivFactor), finalDivFactor, "Expected a finite factor > 0.");
        if (cycleMomentum)
        {
            if (optimizer is not IMomentumOptimizer)
            {
                throw new ArgumentException(
                    $"Expected an optimizer with a momentum (SGD, RMSprop, Adam, AdamW) for cycleMomentum, but {optimizer.GetType().Name} has none; pass cycleMomentum: false.",
                    nameof(optimizer));
            }
            ScheduleChecks.Factor(baseMomentum, nameof(baseMomentum));
            ScheduleChecks.Factor(maxMomentum, nameof(maxMomentum));
            if (optimizer is AdamBase && (baseMomentum >= 1 || maxMomentum >= 1))
            {
                throw new ArgumentOutOfRangeException(baseMomentum >= 1 ? nameof(baseMomentum) : nameof(maxMomentum),
                    Math.Max(baseMomentum, maxMomentum), "Expected momentums below 1: they become Adam's beta1.");
            }
        }
        double initial = maxLr / divFactor, min = initial / finalDivFactor, max = maxLr;
        double up = pctStart * totalSteps - 1;
        _phases = threePhase
            ? [(up, initial, max, maxMomentum, baseMomentum), (2.0 * pctStart * totalSteps - 2, max, initial, baseMomentum, maxMomentum),
               (totalSteps - 1, initial, min, maxMomentum, maxMomentum)]
            : [(up, initial, max, maxMomentum, baseMomentum), (totalSteps - 1, max, min, baseMomentum, maxMomentum)];
        for (int i = 0; i < _phases.Length; i++)
        {
            // A phase of no steps divides by zero (PyTorch raises ZeroDivisionError).
            if (_phases[i].EndStep == (i == 0 ? 0 : _phases[i - 1].EndStep))
            {
                throw new ArgumentException(
                    $"pctStart = {pctStart} and totalSteps = {totalSteps} give phase {i + 1} of the cycle no steps; choose another pctStart or more steps.", nameof(pctStart));
            }
        }
        MaxLr = maxLr;
        TotalSteps = totalSteps;
        PctStart = pctStart;
        AnnealStrategy = annealStrategy;
        CycleMomentum = cycleMomentum;
        BaseMomentum = baseMomentum;
        MaxMomentum = maxMomentum;
        DivFactor = divFactor;
        FinalDivFactor = finalDivFactor;
        ThreePhase = threePhase;
        BaseLr = initial;
        Optimizer.Lr = (float)initial;
        Start();
    }

    /// <summary>The peak learning rate.</summary>
    public double MaxLr { get; }

    /// <summary>The steps of the cycle.</summary>
    public int TotalSteps { get; }

    /// <summary>The share of the cycle spent rising.</summary>
    public double PctStart { get; }

    /// <summary>Cosine or linear moves.</summary>
    public AnnealStrategy AnnealStrategy { get; }

    /// <summary>Whether the momentum cycles.</summary>
    public bool CycleMomentum { get; }

    /// <summary>The momentum at the peak learning rate.</summary>
    public double BaseMomentum { get; }

    /// <summary>The momentum at the start and the end.</summary>
    public double MaxMomentum { get; }

    /// <summary>initial_lr = max_lr / div_factor.</summary>
    public double DivFactor { get; }

    /// <summary>min_lr = initial_lr / final_div_factor.</summary>
    public double FinalDivFactor { get; }

    /// <summary>Whether the cycle has three phases.</summary>
    public bool ThreePhase { get; }

    private protected override string Settings => string.Create(CultureInfo.InvariantCulture,
        $"OneCycleLR(max_lr={MaxLr:R}, total_steps={TotalSteps}, pct_start={PctStart:R}, anneal_strategy={AnnealStrategy}, cycle_momentum={CycleMomentum}, " +
        $"base_momentum={BaseMomentum:R}, max_momentum={MaxMomentum:R}, div_factor={DivFactor:R}, final_div_factor={FinalDivFactor:R}, three_phase={ThreePhase})");

    private protected override double ComputeLr(int epoch, double current)
    {
        if (epoch > TotalSteps)
        {
            throw new InvalidOperationException($"Tried to step {epoch} times; the cycle has {TotalSteps} total steps.");
        }
        // Step totalSteps lies past the last phase (pct > 1): with linear annealing PyTorch then sets a negative learning
        // rate; this stops at 0.
        return Math.Max(0, At(epoch, momentum: false));
    }

    private protected override void AfterStep(int epoch)
    {
        if (CycleMomentum)
        {
            ((IMomentumOptimizer)Optimizer).Momentum = (float)At(epoch, momentum: true);
        }
    }

    /// <summary>The learning rate (or momentum) of step <paramref name="step"/>, from its phase's closed form.</summary>
    private double At(int step, bool momentum)
    {
        double phaseStart = 0;
        for (int i = 0; i < _phases.Length; i++)
        {
            var phase = _phases[i];
            if (step <= phase.EndStep || i == _phases.Length - 1)
            {
                double pct = (step - phaseStart) / (phase.EndStep - phaseStart);
                return momentum ? Anneal(phase.StartMomentum, phase.EndMomentum, pct) : Anneal(phase.StartLr, phase.EndLr, pct);
            }
            phaseStart = phase.EndStep;
        }
        throw new InvalidOperationException("unreachable: the last phase takes every step");
    }

    private double Anneal(double start, double end, double pct) => AnnealStrategy == AnnealStrategy.Cos
        ? end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
        : (end - start) * pct + start;
}
