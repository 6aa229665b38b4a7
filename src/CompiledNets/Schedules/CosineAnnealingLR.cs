using System;
using System.Globalization;

namespace CompiledNets;

/// <summary>
/// Cosine annealing (Loshchilov and Hutter, "SGDR", ICLR 2017, without restarts) as PyTorch's <c>CosineAnnealingLR</c>.
/// Its closed form is <c>η_t = η_min + (η_base − η_min)(1 + cos(π t / T_max)) / 2</c>; like PyTorch it steps by the
/// recursive form <c>η_t = η_min + (η_{t−1} − η_min)(1 + cos(π t / T_max)) / (1 + cos(π (t − 1) / T_max))</c>, and past
/// <c>T_max</c> it climbs back (at <c>t − 1 − T_max ≡ 0 mod 2T_max</c> it adds <c>(η_base − η_min)(1 − cos(π / T_max)) / 2</c>).
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    /// <summary>Creates the schedule and sets the learning rate of step 0 (the optimizer's).</summary>
    /// <param name="optimizer">The optimizer whose learning rate is set.</param>
    /// <param name="tMax">Steps of a half cosine, ≥ 1.</param>
    /// <param name="etaMin">The smallest learning rate, finite and ≥ 0.</param>
    public CosineAnnealingLR(IOptimizer optimizer, int tMax, double etaMin = 0)
        : base(optimizer)
    {
        if (tMax < 1) throw new ArgumentOutOfRangeException(nameof(tMax), tMax, "Expected T_max >= 1.");
        ScheduleChecks.LearningRate(etaMin, nameof(etaMin));
        TMax = tMax;
        EtaMin = etaMin;
        Start();
    }

    /// <summary>Steps of a half cosine (PyTorch's <c>T_max</c>).</summary>
    public int TMax { get; }

    /// <summary>The smallest learning rate (PyTorch's <c>eta_min</c>).</summary>
    public double EtaMin { get; }

    private protected override string Settings => string.Create(CultureInfo.InvariantCulture, $"CosineAnnealingLR(T_max={TMax}, eta_min={EtaMin:R})");

    private protected override double ComputeLr(int epoch, double current)
    {
        double etaMin = EtaMin;
        if (epoch == 0)
        {
            return current;
        }
        if (FloorMod(epoch - 1L - TMax, 2L * TMax) == 0)
        {
            return current + (BaseLr - etaMin) * (1 - Math.Cos(Math.PI / TMax)) / 2;
        }
        return (1 + Math.Cos(Math.PI * epoch / TMax)) / (1 + Math.Cos(Math.PI * (epoch - 1) / TMax)) * (current - etaMin) + etaMin;
    }
}
