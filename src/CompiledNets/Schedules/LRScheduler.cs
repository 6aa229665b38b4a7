using System;
using System.Collections.Generic;

namespace CompiledNets;

/// <summary>
/// A learning-rate schedule that steps by count, like PyTorch's <c>torch.optim.lr_scheduler._LRScheduler</c>: created
/// after the optimizer (which sets the learning rate of step 0), then <see cref="Step"/> once per epoch or per batch,
/// after <c>optimizer.Step()</c>. Each subclass gives PyTorch's own (recursive, "chainable") rule, so the learning
/// rates equal PyTorch's step for step.
/// </summary>
/// <remarks>
/// The schedule computes in double, as PyTorch does with Python floats, and writes the result to the optimizer's
/// double <see cref="IOptimizer.Lr"/>. When something else changed that learning rate since (another schedule, or user
/// code), the next step starts from the optimizer's value, as PyTorch's would from <c>group['lr']</c>.
/// <para>Its state dict (kind, settings, step count, the last learning rate) lets a <see cref="Checkpoint"/> resume it.</para>
/// </remarks>
public abstract class LRScheduler : IStateful
{
    private double _lr;

    private protected LRScheduler(IOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLr = optimizer.Lr;
    }

    /// <summary>Sets the learning rate of step 0, as PyTorch's constructor does by stepping once; called by each subclass's constructor last.</summary>
    private protected void Start()
    {
        _lr = Optimizer.Lr;
        LastEpoch = 0;
        Apply(ComputeLr(0, _lr));
    }

    /// <summary>The optimizer whose learning rate this schedule sets.</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>The optimizer's learning rate when the schedule was created (PyTorch's <c>base_lrs[0]</c>).</summary>
    public double BaseLr { get; private protected set; }

    /// <summary>Steps taken (PyTorch's <c>last_epoch</c>: 0 after construction).</summary>
    public int LastEpoch { get; private set; }

    /// <summary>The learning rate this schedule set last, in double (PyTorch's <c>get_last_lr()[0]</c>).</summary>
    public double LastLr => _lr;

    /// <summary>Advances the schedule by one step and sets the optimizer's learning rate, like <c>scheduler.step()</c>.</summary>
    public void Step()
    {
        if (LastEpoch == int.MaxValue)
        {
            throw new InvalidOperationException($"The schedule has taken {int.MaxValue} steps, the most it counts.");
        }
        double next = ComputeLr(LastEpoch + 1, ScheduleChecks.CurrentLr(Optimizer, _lr));
        LastEpoch++;
        Apply(next);
    }

    /// <summary>
    /// The learning rate after step <paramref name="epoch"/> (0 for the one the constructor sets), from the current one, by
    /// PyTorch's rule. Throws (before anything changes) when the schedule cannot take that step.
    /// </summary>
    private protected abstract double ComputeLr(int epoch, double current);

    /// <summary>Called with each step's number after the learning rate is set: for schedules that set more (momentum).</summary>
    private protected virtual void AfterStep(int epoch)
    {
    }

    private void Apply(double lr)
    {
        _lr = lr;
        Optimizer.Lr = (float)lr;
        AfterStep(LastEpoch);
    }

    /// <summary>The schedule's name and settings, as PyTorch names them: a checkpoint refuses a schedule made with others.</summary>
    private protected abstract string Settings { get; }

    /// <inheritdoc/>
    public StateDict StateDict()
    {
        var state = new StateDict();
        state.Add("kind", GetType().Name);
        state.Add("settings", Settings);
        state.Add("base_lr", BaseLr);
        state.Add("last_epoch", (long)LastEpoch);
        state.Add("last_lr", _lr);
        return state;
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> CheckStateDict(StateDict state)
    {
        var problems = new List<string>();
        if (ScheduleChecks.CheckCommon(state, GetType().Name, Settings, problems)
            && (state["base_lr"] is not double baseLr || !double.IsFinite(baseLr) || baseLr < 0))
        {
            problems.Add($"its base learning rate is {CompiledNets.StateDict.Describe(state["base_lr"])}, not a finite number >= 0");
        }
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
        BaseLr = state.Number("base_lr");
        LastEpoch = (int)state.Integer("last_epoch");
        _lr = state.Number("last_lr");
        Optimizer.Lr = (float)_lr;
        AfterStep(LastEpoch);
    }

    /// <summary>Python's <c>%</c> for a positive divisor: never negative.</summary>
    private protected static long FloorMod(long value, long divisor) => ((value % divisor) + divisor) % divisor;
}
