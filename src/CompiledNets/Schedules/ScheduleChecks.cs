using System;

namespace CompiledNets;

/// <summary>Argument checks the schedules share.</summary>
internal static class ScheduleChecks
{
    /// <summary>A finite factor or learning rate ≥ 0.</summary>
    public static void Factor(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Expected a finite value >= 0.");
        }
    }
}
