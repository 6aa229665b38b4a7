namespace CompiledNets;

/// <summary>
/// What one epoch measured on one set of samples (the training batches, or the validation samples after the epoch).
/// A metric the task does not report (<see cref="MonitoredMetrics.AppliesTo"/>) is NaN, as is everything of a
/// validation set that was not given. Regression metrics are scikit-learn's (<see cref="RegressionMetrics"/>), ROC AUC
/// is <see cref="BinaryMetrics.RocAuc"/> (NaN when the samples hold only one class, where scikit-learn raises).
/// </summary>
/// <param name="Loss">Mean loss over the samples (each batch's loss weighted by its size).</param>
/// <param name="Accuracy">Fraction classified right (0..1).</param>
/// <param name="MeanAbsoluteError">Mean absolute error.</param>
/// <param name="MeanSquaredError">Mean squared error.</param>
/// <param name="RootMeanSquaredError">Root mean squared error.</param>
/// <param name="R2Score">Coefficient of determination.</param>
/// <param name="RocAuc">Area under the ROC curve.</param>
public sealed record EpochMetrics(
    float Loss,
    float Accuracy,
    double MeanAbsoluteError,
    double MeanSquaredError,
    double RootMeanSquaredError,
    double R2Score,
    double RocAuc)
{
    /// <summary>Every metric NaN: a set that was not measured.</summary>
    public static EpochMetrics None { get; } = new(float.NaN, float.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>Reads the two metrics of a classification run: <c>var (loss, accuracy) = trainer.Evaluate(loader)</c>.</summary>
    public void Deconstruct(out float loss, out float accuracy)
    {
        loss = Loss;
        accuracy = Accuracy;
    }
}
