using System;
using System.Collections.Generic;

namespace CompiledNets;

/// <summary>What the schedules share: argument checks, the state-dict checks, and where a step starts from.</summary>
internal static class ScheduleChecks
{
    /// <summary>A finite factor ≥ 0.</summary>
    public static void Factor(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Expected a finite value >= 0.");
        }
    }

    /// <summary>A learning rate a float optimizer can hold: ≥ 0 and at most <see cref="float.MaxValue"/>.</summary>
    public static void LearningRate(double value, string name)
    {
        if (!(value >= 0 && value <= float.MaxValue))
        {
            throw new ArgumentOutOfRangeException(name, value, "Expected a finite learning rate >= 0.");
        }
    }

    /// <summary>
    /// The learning rate the next step starts from: the schedule's own double, unless something else (another schedule,
    /// user code) has set the optimizer's since, which then wins, as PyTorch reads <c>group['lr']</c> each step.
    /// </summary>
    public static double CurrentLr(IOptimizer optimizer, double lastLr) => optimizer.Lr == (float)lastLr ? lastLr : optimizer.Lr;

    /// <summary>
    /// The entries every schedule saves (kind, settings, last_epoch, last_lr): adds a problem for each that does not fit;
    /// false when the state is another kind's, whose other entries mean nothing here.
    /// </summary>
    public static bool CheckCommon(StateDict state, string kind, string settings, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state["kind"] is not string saved || saved != kind)
        {
            problems.Add($"it holds the state of a '{StateDict.Describe(state["kind"])}' schedule but the schedule is {kind}");
            return false;
        }
        if (state["settings"] is not string savedSettings || savedSettings != settings)
        {
            problems.Add($"it was saved with {StateDict.Describe(state["settings"])} but the schedule is {settings}");
        }
        CheckCount(state, "last_epoch", problems);
        if (state["last_lr"] is not double lr || !(lr >= 0 && lr <= float.MaxValue))
        {
            problems.Add($"its last learning rate is {StateDict.Describe(state["last_lr"])}, not a finite number >= 0");
        }
        return true;
    }

    /// <summary>Adds a problem unless <paramref name="name"/> is an integer in [0, int.MaxValue].</summary>
    public static void CheckCount(StateDict state, string name, List<string> problems)
    {
        if (state[name] is not long count || count < 0 || count > int.MaxValue)
        {
            problems.Add($"its {name} is {StateDict.Describe(state[name])}, not an integer in [0, {int.MaxValue}]");
        }
    }
}
