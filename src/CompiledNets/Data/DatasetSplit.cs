namespace CompiledNets;

/// <summary>
/// The three parts of <see cref="Dataset.Split"/>: <see cref="Train"/> to fit the parameters,
/// <see cref="Validation"/> to tune and stop early, <see cref="Test"/> to measure once at the end.
/// Every sample of the split dataset is in exactly one part.
/// </summary>
/// <param name="Train">The training part.</param>
/// <param name="Validation">The validation part (empty when its fraction is 0).</param>
/// <param name="Test">The rest (empty when the two fractions add up to 1).</param>
public sealed record DatasetSplit(Dataset Train, Dataset Validation, Dataset Test);
