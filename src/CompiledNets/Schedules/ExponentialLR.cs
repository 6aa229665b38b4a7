using System.Globalization;

namespace CompiledNets;

/// <summary>Multiplies the learning rate by <see cref="Gamma"/> every step, as PyTorch's <c>ExponentialLR</c>: <c>lr = base_lr · γ^epoch</c>, computed recursively.</summary>
public sealed class ExponentialLR : LRScheduler
{
    /// <summary>Creates the schedule and sets the learning rate of step 0 (the optimizer's).</summary>
    /// <param name="optimizer">The optimizer whose learning rate is set.</param>
    /// <param name="gamma">The decay factor, finite and ≥ 0.</param>
    public ExponentialLR(IOptimizer optimizer, double gamma)
        : base(optimizer)
    {
        ScheduleChecks.Factor(gamma, nameof(gamma));
        Gamma = gamma;
        Start();
    }

    /// <summary>The decay factor.</summary>
    public double Gamma { get; }

    private protected override string Settings => string.Create(CultureInfo.InvariantCulture, $"ExponentialLR(gamma={Gamma:R})");

    private protected override double ComputeLr(int epoch, double current) => epoch == 0 ? current : current * Gamma;
}
