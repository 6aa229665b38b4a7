using System;
using System.Globalization;

namespace CompiledNets;

/// <summary>
/// A linear warm-up (or decay) of the learning rate's factor from <see cref="StartFactor"/> to <see cref="EndFactor"/> over
/// <see cref="TotalIters"/> steps, then constant, as PyTorch's <c>LinearLR</c>: step 0 sets <c>lr · start_factor</c>, and
/// step t ≤ total_iters multiplies by <c>1 + (end − start) / (total_iters · start + (t − 1)(end − start))</c>.
/// </summary>
public sealed class LinearLR : LRScheduler
{
    /// <summary>Creates the schedule and sets the learning rate of step 0 (the optimizer's times <paramref name="startFactor"/>).</summary>
    /// <param name="optimizer">The optimizer whose learning rate is set.</param>
    /// <param name="startFactor">The factor at step 0, in (0, 1].</param>
    /// <param name="endFactor">The factor from step <paramref name="totalIters"/> on, in [0, 1].</param>
    /// <param name="totalIters">Steps of the ramp, ≥ 1.</param>
    public LinearLR(IOptimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1, int totalIters = 5)
        : base(optimizer)
    {
        if (!(startFactor > 0 && startFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "Expected a starting factor greater than 0 and at most 1.");
        }
        if (!(endFactor >= 0 && endFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, "Expected an ending factor between 0 and 1.");
        }
        if (totalIters < 1) throw new ArgumentOutOfRangeException(nameof(totalIters), totalIters, "Expected total_iters >= 1.");
        StartFactor = startFactor;
        EndFactor = endFactor;
        TotalIters = totalIters;
        Start();
    }

    /// <summary>The factor at step 0.</summary>
    public double StartFactor { get; }

    /// <summary>The factor from step <see cref="TotalIters"/> on.</summary>
    public double EndFactor { get; }

    /// <summary>Steps of the ramp.</summary>
    public int TotalIters { get; }

    private protected override string Settings => string.Create(CultureInfo.InvariantCulture,
        $"LinearLR(start_factor={StartFactor:R}, end_factor={EndFactor:R}, total_iters={TotalIters})");

    private protected override double ComputeLr(int epoch, double current)
    {
        double start = StartFactor, end = EndFactor;
        if (epoch == 0)
        {
            return current * start;
        }
        if (epoch > TotalIters)
        {
            return current;
        }
        return current * (1 + (end - start) / (TotalIters * start + (epoch - 1) * (end - start)));
    }
}
