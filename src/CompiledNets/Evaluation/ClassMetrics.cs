namespace CompiledNets;

/// <summary>One row of a <see cref="ClassificationReport"/>: a class, or an average over classes.</summary>
/// <param name="Name">The class name (its index when no names were given), or <c>"macro avg"</c> / <c>"weighted avg"</c>.</param>
/// <param name="Precision">TP / (TP + FP): of the samples predicted as this class, the fraction that are; 0 when it was never predicted.</param>
/// <param name="Recall">TP / (TP + FN): of the samples of this class, the fraction predicted as it; 0 when it has no samples.</param>
/// <param name="F1">The harmonic mean 2PR / (P + R) of precision and recall; 0 when both are 0.</param>
/// <param name="Support">Number of samples whose true class this is; for an average, every sample.</param>
public sealed record ClassMetrics(string Name, double Precision, double Recall, double F1, int Support);
