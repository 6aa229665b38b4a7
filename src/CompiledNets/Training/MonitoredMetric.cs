namespace CompiledNets;

/// <summary>
/// A metric that <see cref="Trainer.Fit"/> reports each epoch, on the training or the validation samples: what
/// <see cref="EarlyStopping"/> and <see cref="Trainer.PlateauMetric"/> watch. Which ones a run reports depends on its
/// <see cref="TaskKind"/> (<see cref="MonitoredMetrics.AppliesTo"/>); losses and errors fall as they improve, the rest rise.
/// </summary>
public enum MonitoredMetric
{
    /// <summary>Mean validation loss; lower is better.</summary>
    ValidationLoss,

    /// <summary>Validation accuracy (0..1); higher is better. Classification and binary tasks.</summary>
    ValidationAccuracy,

    /// <summary>Validation mean absolute error; lower is better. Regression.</summary>
    ValidationMeanAbsoluteError,

    /// <summary>Validation mean squared error; lower is better. Regression.</summary>
    ValidationMeanSquaredError,

    /// <summary>Validation root mean squared error; lower is better. Regression.</summary>
    ValidationRootMeanSquaredError,

    /// <summary>Validation R² (coefficient of determination); higher is better. Regression.</summary>
    ValidationR2Score,

    /// <summary>Validation area under the ROC curve; higher is better. Binary tasks.</summary>
    ValidationRocAuc,

    /// <summary>Mean training loss over the epoch's batches; lower is better.</summary>
    TrainLoss,

    /// <summary>Training accuracy over the epoch's batches; higher is better. Classification and binary tasks.</summary>
    TrainAccuracy,

    /// <summary>Training mean absolute error over the epoch's batches; lower is better. Regression.</summary>
    TrainMeanAbsoluteError,

    /// <summary>Training mean squared error over the epoch's batches; lower is better. Regression.</summary>
    TrainMeanSquaredError,

    /// <summary>Training root mean squared error over the epoch's batches; lower is better. Regression.</summary>
    TrainRootMeanSquaredError,

    /// <summary>Training R² over the epoch's batches; higher is better. Regression.</summary>
    TrainR2Score,

    /// <summary>Training ROC AUC over the epoch's batches; higher is better. Binary tasks.</summary>
    TrainRocAuc,
}

/// <summary>What each <see cref="MonitoredMetric"/> measures and where it applies.</summary>
public static class MonitoredMetrics
{
    /// <summary>Whether <paramref name="metric"/> is measured on the validation samples (else on the training batches).</summary>
    public static bool IsValidation(this MonitoredMetric metric) => metric < MonitoredMetric.TrainLoss;

    /// <summary>Whether a larger value is better (accuracy, R², ROC AUC) rather than a smaller one (losses and errors).</summary>
    public static bool HigherIsBetter(this MonitoredMetric metric) => Kind(metric) is Measure.Accuracy or Measure.R2Score or Measure.RocAuc;

    /// <summary>Whether a run of <paramref name="task"/> reports <paramref name="metric"/>.</summary>
    public static bool AppliesTo(this MonitoredMetric metric, TaskKind task) => Kind(metric) switch
    {
        Measure.Loss => true,
        Measure.Accuracy => task is TaskKind.Classification or TaskKind.Binary,
        Measure.RocAuc => task == TaskKind.Binary,
        _ => task == TaskKind.Regression,
    };

    /// <summary>The metric read from one epoch's measurements (training or validation, as the metric says).</summary>
    internal static double Read(this MonitoredMetric metric, EpochMetrics metrics) => Kind(metric) switch
    {
        Measure.Loss => metrics.Loss,
        Measure.Accuracy => metrics.Accuracy,
        Measure.MeanAbsoluteError => metrics.MeanAbsoluteError,
        Measure.MeanSquaredError => metrics.MeanSquaredError,
        Measure.RootMeanSquaredError => metrics.RootMeanSquaredError,
        Measure.R2Score => metrics.R2Score,
        _ => metrics.RocAuc,
    };

    internal static void ThrowIfUndefined(MonitoredMetric metric, string argument)
    {
        if (!System.Enum.IsDefined(metric))
        {
            throw new System.ArgumentOutOfRangeException(argument, metric, "Expected a defined MonitoredMetric.");
        }
    }

    private enum Measure
    {
        Loss,
        Accuracy,
        MeanAbsoluteError,
        MeanSquaredError,
        RootMeanSquaredError,
        R2Score,
        RocAuc,
    }

    private static Measure Kind(MonitoredMetric metric) => (Measure)((int)metric % (int)MonitoredMetric.TrainLoss);
}
