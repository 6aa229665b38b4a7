using System;

namespace CompiledNets;

/// <summary>
/// Stops training when a metric (any the run reports, validation loss by default) has not improved for
/// <see cref="Patience"/> epochs, like Keras' <c>EarlyStopping</c> callback, and optionally puts back the weights of the best epoch.
/// </summary>
/// <remarks>
/// An epoch improves on the best so far when the metric is better by more than <see cref="MinDelta"/> (lower for losses
/// and errors, higher for accuracy, R² and ROC AUC: <see cref="MonitoredMetrics.HigherIsBetter"/>).
/// With <see cref="RestoreBestWeights"/>, the network ends training (stopped early or not) with the
/// parameters it had after the best epoch; the optimizer's state is left as it is.
/// </remarks>
public sealed class EarlyStopping
{
    /// <summary>Configures early stopping.</summary>
    /// <param name="patience">Epochs without improvement before stopping, ≥ 1.</param>
    /// <param name="monitor">The metric to watch; it must be one the run's task reports (checked when training starts).</param>
    /// <param name="minDelta">The smallest change that counts as an improvement, ≥ 0.</param>
    /// <param name="restoreBestWeights">Whether to restore the parameters of the best epoch at the end.</param>
    public EarlyStopping(int patience, MonitoredMetric monitor = MonitoredMetric.ValidationLoss, float minDelta = 0f, bool restoreBestWeights = true)
    {
        if (patience < 1) throw new ArgumentOutOfRangeException(nameof(patience), patience, "Expected a patience of at least 1 epoch.");
        if (!(minDelta >= 0f) || !float.IsFinite(minDelta)) throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "Expected a finite minDelta >= 0.");
        MonitoredMetrics.ThrowIfUndefined(monitor, nameof(monitor));
        Patience = patience;
        Monitor = monitor;
        MinDelta = minDelta;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>The metric watched.</summary>
    public MonitoredMetric Monitor { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public float MinDelta { get; }

    /// <summary>Whether the parameters of the best epoch are restored at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>Whether <paramref name="value"/> improves on <paramref name="best"/> (NaN never does).</summary>
    internal bool Improves(double value, double best) => Monitor.HigherIsBetter()
        ? value > best + MinDelta
        : value < best - MinDelta;

    /// <summary>The starting point that any real value improves on.</summary>
    internal double Worst => Monitor.HigherIsBetter() ? double.NegativeInfinity : double.PositiveInfinity;
}
