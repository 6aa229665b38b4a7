using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CompiledNets;

/// <summary>
/// Multiplies the learning rate by <see cref="Gamma"/> at each milestone, as PyTorch's <c>MultiStepLR</c>:
/// <c>lr ← lr · γ^k</c> at a step that is k of the milestones (a milestone listed twice decays twice).
/// </summary>
public sealed class MultiStepLR : LRScheduler
{
    private readonly Dictionary<int, int> _counts;

    /// <summary>Creates the schedule and sets the learning rate of step 0 (the optimizer's).</summary>
    /// <param name="optimizer">The optimizer whose learning rate is set.</param>
    /// <param name="milestones">The steps at which to decay, each ≥ 0, in any order.</param>
    /// <param name="gamma">The decay factor, finite and ≥ 0.</param>
    public MultiStepLR(IOptimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1)
        : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        int[] sorted = milestones.Order().ToArray();
        if (sorted.Length > 0 && sorted[0] < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(milestones), sorted[0], "Expected every milestone >= 0.");
        }
        ScheduleChecks.Factor(gamma, nameof(gamma));
        Milestones = sorted;
        Gamma = gamma;
        _counts = sorted.GroupBy(m => m).ToDictionary(g => g.Key, g => g.Count());
        Start();
    }

    /// <summary>The milestones, sorted.</summary>
    public IReadOnlyList<int> Milestones { get; }

    /// <summary>The decay factor.</summary>
    public double Gamma { get; }

    private protected override string Settings => string.Create(CultureInfo.InvariantCulture,
        $"MultiStepLR(milestones=[{string.Join(", ", Milestones)}], gamma={Gamma:R})");

    private protected override double ComputeLr(int epoch, double current) =>
        _counts.TryGetValue(epoch, out int count) ? current * Math.Pow(Gamma, count) : current;
}
