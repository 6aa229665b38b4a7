using System;
using System.Globalization;

namespace CompiledNets;

/// <summary>
/// Multiplies the learning rate by <see cref="Gamma"/> every <see cref="StepSize"/> steps, as PyTorch's <c>StepLR</c>:
/// <c>lr = base_lr · γ^⌊epoch / step_size⌋</c>, computed recursively (<c>lr ← lr · γ</c> when epoch is a positive
/// multiple of step_size).
/// </summary>
public sealed class StepLR : LRScheduler
{
    /// <summary>Creates the schedule and sets the learning rate of step 0 (the optimizer's).</summary>
    /// <param name="optimizer">The optimizer whose learning rate is set.</param>
    /// <param name="stepSize">Steps between decays, ≥ 1.</param>
    /// <param name="gamma">The decay factor, finite and ≥ 0.</param>
    public StepLR(IOptimizer optimizer, int stepSize, double gamma = 0.1)
        : base(optimizer)
    {
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "Expected a step size >= 1.");
        ScheduleChecks.Factor(gamma, nameof(gamma));
        StepSize = stepSize;
        Gamma = gamma;
        Start();
    }

    /// <summary>Steps between decays.</summary>
    public int StepSize { get; }

    /// <summary>The decay factor.</summary>
    public double Gamma { get; }

    private protected override string Settings => string.Create(CultureInfo.InvariantCulture, $"StepLR(step_size={StepSize}, gamma={Gamma:R})");

    private protected override double ComputeLr(int epoch, double current) =>
        epoch == 0 || epoch % StepSize != 0 ? current : current * Gamma;
}
