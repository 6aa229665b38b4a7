using System;

namespace CompiledNets;

/// <summary>
/// The seeded train/validation/test split behind <see cref="Dataset.Split"/>; its doc comment states
/// the rounding rules.
/// </summary>
internal static class Splitter
{
    /// <summary>Slack for fractions such as 0.7 + 0.3 whose double sum lands just above 1.</summary>
    private const double SumTolerance = 1e-9;

    public static DatasetSplit Split(Dataset dataset, double trainFraction, double validationFraction, int seed, bool stratify)
    {
        if (stratify && !dataset.HasLabels)
        {
            throw new ArgumentException(
                $"Expected a dataset of class labels to stratify, but this one holds {dataset.TargetCount} float target(s) per row; split it without stratify.",
                nameof(stratify));
        }
        int[][] parts = Parts(dataset.Count, trainFraction, validationFraction, seed, stratify ? dataset.LabelArray : null);
        return new DatasetSplit(dataset.Subset(parts[0]), dataset.Subset(parts[1]), dataset.Subset(parts[2]));
    }

    /// <summary>
    /// The sample indices of the training, validation and test parts of <paramref name="n"/> samples, stratified by
    /// <paramref name="classes"/> (any integer per sample) when given.
    /// </summary>
    public static int[][] Parts(int n, double trainFraction, double validationFraction, int seed, int[]? classes)
    {
        if (!(trainFraction > 0 && trainFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, $"Expected trainFraction in (0, 1] but got {trainFraction}.");
        }
        if (!(validationFraction >= 0 && validationFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(validationFraction), validationFraction, $"Expected validationFraction in [0, 1] but got {validationFraction}.");
        }
        if (trainFraction + validationFraction > 1 + SumTolerance)
        {
            throw new ArgumentException(
                $"Expected trainFraction + validationFraction <= 1 (the test part takes the rest) but got {trainFraction} + {validationFraction} = {trainFraction + validationFraction}.",
                nameof(validationFraction));
        }

        int trainEnd = Round(trainFraction * n, n);
        int validationEnd = Round((trainFraction + validationFraction) * n, n);
        if (trainEnd == 0)
        {
            throw new ArgumentException(
                $"Expected the training part to get at least one sample, but trainFraction {trainFraction} of {n} samples rounds to 0.", nameof(trainFraction));
        }
        int[] partSizes = [trainEnd, validationEnd - trainEnd, n - validationEnd];

        var rng = new Rng(seed);
        return classes is not null ? StratifiedParts(classes, partSizes, ref rng) : ShuffledParts(n, partSizes, ref rng);
    }

    /// <summary>Rounds half away from zero, clamped to <paramref name="max"/> against floating-point excess.</summary>
    private static int Round(double value, int max) => (int)Math.Min(max, Math.Round(value, MidpointRounding.AwayFromZero));

    /// <summary>One permutation of all samples, cut into consecutive parts.</summary>
    private static int[][] ShuffledParts(int n, int[] partSizes, ref Rng rng)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        rng.Shuffle(order);
        var parts = new int[partSizes.Length][];
        for (int p = 0, start = 0; p < parts.Length; start += partSizes[p], p++)
        {
            parts[p] = order.AsSpan(start, partSizes[p]).ToArray();
        }
        return parts;
    }

    /// <summary>Each class's samples, shuffled, cut by that class's allocation; then each part shuffled.</summary>
    private static int[][] StratifiedParts(int[] labels, int[] partSizes, ref Rng rng)
    {
        // Only the classes present take part (a dataset may declare far more classes than it has samples), numbered
        // densely in increasing order; a class absent from the data would get nothing and draw nothing from rng.
        int[] present = (int[])labels.Clone();
        Array.Sort(present);
        int classCount = present.Length == 0 ? 0 : 1;
        for (int i = 1; i < present.Length; i++)
        {
            if (present[i] != present[classCount - 1]) present[classCount++] = present[i];
        }
        var dense = new int[labels.Length];
        for (int i = 0; i < dense.Length; i++) dense[i] = Array.BinarySearch(present, 0, classCount, labels[i]);

        // Sample indices grouped by class (a counting sort keeps each group in index order before the shuffle).
        var classSizes = new int[classCount];
        foreach (int label in dense) classSizes[label]++;
        var classStart = new int[classCount + 1];
        for (int c = 0; c < classCount; c++) classStart[c + 1] = classStart[c] + classSizes[c];
        var byClass = new int[labels.Length];
        var fill = (int[])classStart.Clone();
        for (int i = 0; i < labels.Length; i++) byClass[fill[dense[i]]++] = i;

        int[,] allocation = StratifiedAllocation.Allocate(classSizes, partSizes);
        var parts = new int[partSizes.Length][];
        var filled = new int[partSizes.Length];
        for (int p = 0; p < parts.Length; p++) parts[p] = new int[partSizes[p]];
        for (int c = 0; c < classCount; c++)
        {
            Span<int> members = byClass.AsSpan(classStart[c], classSizes[c]);
            rng.Shuffle(members);
            for (int p = 0, taken = 0; p < parts.Length; taken += allocation[c, p], p++)
            {
                members.Slice(taken, allocation[c, p]).CopyTo(parts[p].AsSpan(filled[p]));
                filled[p] += allocation[c, p];
            }
        }
        // Without this, each part would list its samples class by class.
        foreach (int[] part in parts) rng.Shuffle(part);
        return parts;
    }
}
