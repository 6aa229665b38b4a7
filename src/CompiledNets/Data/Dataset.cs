using System;
using System.Collections.Generic;

namespace CompiledNets;

/// <summary>
/// An in-memory dataset: <see cref="Count"/> rows of <see cref="FeatureCount"/> float features (row-major, like a
/// <c>(N, F)</c> tensor) and, per row, either one class index in <c>[0, <see cref="ClassCount"/>)</c> (classification:
/// <see cref="Labels"/>) or <see cref="TargetCount"/> float targets (regression, or 0/1 targets of a binary or
/// multi-label task: <see cref="Targets"/>). The role of a PyTorch <c>TensorDataset(X, y)</c>, with <c>y</c> a long
/// tensor of shape <c>(N,)</c> or a float tensor of shape <c>(N, T)</c>.
/// </summary>
/// <remarks>
/// A dataset never changes after construction: <see cref="Subset"/>, <see cref="Split"/>,
/// <see cref="Scale"/> and <see cref="Standardizer.Transform(Dataset)"/> return new datasets, so
/// one loaded dataset can feed several experiments. A dataset may be empty (a validation part of
/// fraction 0 is); a <see cref="DataLoader"/> needs at least one sample.
/// </remarks>
public sealed class Dataset
{
    private readonly float[] _features;
    private readonly int[]? _labels;
    private readonly float[]? _targets;

    /// <summary>
    /// Wraps <paramref name="features"/> (<c>labels.Length × featureCount</c> floats, row-major) and
    /// <paramref name="labels"/> after checking that they fit together.
    /// </summary>
    /// <remarks>
    /// The dataset takes ownership of both arrays: it keeps them without copying, and the caller must
    /// not modify them afterwards (a <see cref="DataLoader"/> over this dataset reads them directly).
    /// </remarks>
    /// <param name="features">The rows, one after another.</param>
    /// <param name="labels">One class index per row.</param>
    /// <param name="featureCount">Floats per row; at least 1.</param>
    /// <param name="classCount">Number of classes; every label must be below it.</param>
    /// <param name="classNames">One name per class; <c>"0"</c> … <c>"classCount − 1"</c> when omitted.</param>
    // A collection expression such as [0, 1, 2] fits int[] and float[] alike: class labels, as torch.tensor([0, 1, 2]) is long.
    [System.Runtime.CompilerServices.OverloadResolutionPriority(1)]
    public Dataset(float[] features, int[] labels, int featureCount, int classCount, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (featureCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, $"Expected featureCount >= 1 but got {featureCount}.");
        }
        if (classCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"Expected classCount >= 1 but got {classCount}.");
        }
        // long: labels × features may exceed int.MaxValue even when neither array does.
        long expected = (long)labels.Length * featureCount;
        if (features.LongLength != expected)
        {
            throw new ArgumentException(
                $"Expected {expected} features ({labels.Length} labels × featureCount {featureCount}) but got {features.Length}.", nameof(features));
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException(
                    $"Expected every label in [0, {classCount}) (classCount = {classCount}) but labels[{i}] = {labels[i]}.", nameof(labels));
            }
        }
        ClassNames = CheckedNames(classNames, classCount);
        _features = features;
        _labels = labels;
        FeatureCount = featureCount;
        ClassCount = classCount;
        TargetCount = 1;
        TargetNames = Array.AsReadOnly(["label"]);
        Count = labels.Length;
    }

    /// <summary>
    /// Wraps <paramref name="features"/> (<c>N × featureCount</c> floats, row-major) and <paramref name="targets"/>
    /// (<c>N × targetCount</c> floats, row-major) after checking that they fit together and that every target is finite.
    /// </summary>
    /// <remarks>The dataset takes ownership of both arrays, as the other constructor does.</remarks>
    /// <param name="features">The rows, one after another.</param>
    /// <param name="targets">The targets of each row, one row after another.</param>
    /// <param name="featureCount">Floats per row; at least 1.</param>
    /// <param name="targetCount">Targets per row; at least 1.</param>
    /// <param name="targetNames">One name per target (e.g. the CSV column); <c>"target"</c> (or <c>"0"</c>, <c>"1"</c>, …) when omitted.</param>
    public Dataset(float[] features, float[] targets, int featureCount, int targetCount = 1, IReadOnlyList<string>? targetNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (featureCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, $"Expected featureCount >= 1 but got {featureCount}.");
        }
        if (targetCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(targetCount), targetCount, $"Expected targetCount >= 1 but got {targetCount}.");
        }
        if (targets.Length % targetCount != 0)
        {
            throw new ArgumentException(
                $"Expected a whole number of rows of targetCount {targetCount} targets but got {targets.Length} targets.", nameof(targets));
        }
        int count = targets.Length / targetCount;
        long expected = (long)count * featureCount;
        if (features.LongLength != expected)
        {
            throw new ArgumentException(
                $"Expected {expected} features ({count} rows of targets × featureCount {featureCount}) but got {features.Length}.", nameof(features));
        }
        FiniteCheck.ThrowIfNotFinite(targets, targetCount, nameof(targets));
        TargetNames = targetNames is null
            ? (targetCount == 1 ? Array.AsReadOnly(["target"]) : new IndexNames(targetCount))
            : CheckedNames(targetNames, targetCount, nameof(targetNames), "target");
        _features = features;
        _targets = targets;
        FeatureCount = featureCount;
        TargetCount = targetCount;
        ClassNames = Array.Empty<string>();
        Count = count;
    }

    /// <summary>Number of samples (rows).</summary>
    public int Count { get; }

    /// <summary>Whether each row holds a class index (<see cref="Labels"/>) rather than float <see cref="Targets"/>.</summary>
    public bool HasLabels => _labels is not null;

    /// <summary>Targets per row: 1 for class labels, <see cref="TargetNames"/>.Count for float targets.</summary>
    public int TargetCount { get; }

    /// <summary>The name of each float target (the CSV column it came from), or <c>"label"</c> for class labels.</summary>
    public IReadOnlyList<string> TargetNames { get; }

    /// <summary>Floats per sample.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of classes; labels lie in <c>[0, ClassCount)</c>. 0 for a dataset of float targets.</summary>
    public int ClassCount { get; }

    /// <summary>One name per class index, for reports (e.g. <c>"Trouser"</c>); <c>"0"</c>, <c>"1"</c>, … by default.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>All features, row-major: sample <c>i</c> is <c>[i · FeatureCount, (i + 1) · FeatureCount)</c>.</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>The class index of every sample; only for a dataset of class labels (<see cref="HasLabels"/>).</summary>
    public ReadOnlySpan<int> Labels => _labels ?? throw new InvalidOperationException(
        $"This dataset holds {TargetCount} float target(s) per row, not class labels: read Targets.");

    /// <summary>
    /// The float targets, row-major (<see cref="TargetCount"/> per sample); only for a dataset of float targets
    /// (not <see cref="HasLabels"/>).
    /// </summary>
    public ReadOnlySpan<float> Targets => _targets ?? throw new InvalidOperationException(
        "This dataset holds class labels, not float targets: read Labels.");

    /// <summary>The backing features, shared with <see cref="DataLoader"/> without a copy.</summary>
    internal float[] FeatureArray => _features;

    /// <summary>The backing labels (null for float targets), shared with <see cref="DataLoader"/> without a copy.</summary>
    internal int[]? LabelArray => _labels;

    /// <summary>The backing float targets (null for labels), shared with <see cref="DataLoader"/> without a copy.</summary>
    internal float[]? TargetArray => _targets;

    /// <summary>The features of sample <paramref name="index"/>, like <c>X[index]</c>.</summary>
    public ReadOnlySpan<float> Row(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Expected an index in [0, {Count}) but got {index}.");
        }
        return _features.AsSpan(index * FeatureCount, FeatureCount);
    }

    /// <summary>
    /// A new dataset holding copies of the rows at <paramref name="indices"/>, in that order, like
    /// <c>torch.utils.data.Subset</c> (but copied, so the result is contiguous). Repeats are allowed.
    /// </summary>
    public Dataset Subset(ReadOnlySpan<int> indices)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(indices), indices[i], $"Expected every index in [0, {Count}) but indices[{i}] = {indices[i]}.");
            }
        }
        var features = new float[(long)indices.Length * FeatureCount];
        RowGather.Copy(_features, indices, FeatureCount, features);
        if (_labels is not null)
        {
            var labels = new int[indices.Length];
            for (int i = 0; i < indices.Length; i++) labels[i] = _labels[indices[i]];
            return new Dataset(features, labels, null, this);
        }
        var targets = new float[(long)indices.Length * TargetCount];
        RowGather.Copy(_targets, indices, TargetCount, targets);
        return new Dataset(features, null, targets, this);
    }

    /// <summary>
    /// A seeded random split into training, validation and test parts (the test part takes what the
    /// other two leave), like scikit-learn's <c>train_test_split</c> applied twice.
    /// </summary>
    /// <remarks>
    /// <para>Part sizes are rounded at the cumulative boundaries, so they always add up to
    /// <see cref="Count"/>: the training part holds <c>round(trainFraction · N)</c> samples, training
    /// and validation together <c>round((trainFraction + validationFraction) · N)</c>, and the test
    /// part the rest, where <c>round</c> sends halves away from zero (products are computed in
    /// <see cref="double"/>). With N = 10 and fractions 0.65 / 0.2 this gives 7 / 2 / 1.</para>
    /// <para>With <paramref name="stratify"/>, each class is shuffled and divided on its own so each
    /// part keeps the class proportions of the whole: class <c>c</c> (n_c samples) gets
    /// <c>n_c · P / N</c> samples of a part of size P, rounded down or up (never further than one
    /// sample from that ideal) so that both the class sizes and the part sizes above still add up
    /// exactly. Which classes take the extra samples is settled by a small flow computation that
    /// prefers the largest remainders, as scikit-learn's <c>StratifiedShuffleSplit</c> does.</para>
    /// <para>Each part's rows are in random order. The same seed gives the same split on every machine
    /// (<see cref="Rng"/>); a different seed almost surely a different one.</para>
    /// </remarks>
    /// <param name="trainFraction">Share of the samples for training, in (0, 1].</param>
    /// <param name="validationFraction">Share for validation, in [0, 1]; the two fractions add up to at most 1.</param>
    /// <param name="seed">Seeds the shuffle.</param>
    /// <param name="stratify">Whether every part keeps each class's proportion; only for class labels.</param>
    public DatasetSplit Split(double trainFraction, double validationFraction, int seed, bool stratify = false) =>
        Splitter.Split(this, trainFraction, validationFraction, seed, stratify);

    /// <summary>
    /// A new dataset with every feature multiplied by <paramref name="factor"/>, e.g.
    /// <c>Scale(1 / 255f)</c> maps image bytes to [0, 1] as torchvision's <c>ToTensor()</c> does.
    /// </summary>
    public Dataset Scale(float factor)
    {
        if (!float.IsFinite(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"Expected a finite factor but got {factor}.");
        }
        var features = new float[_features.Length];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = _features[i] * factor;
        }
        return WithFeatures(features);
    }

    /// <summary>
    /// This dataset of class labels as float targets for a binary task (<see cref="BCEWithLogitsLoss"/>): 1 where the label
    /// is <paramref name="positiveClass"/>, 0 elsewhere, the target named after that class.
    /// </summary>
    public Dataset ToBinaryTargets(int positiveClass)
    {
        ReadOnlySpan<int> labels = Labels;
        if ((uint)positiveClass >= (uint)ClassCount)
        {
            throw new ArgumentOutOfRangeException(nameof(positiveClass), positiveClass, $"Expected a class in [0, {ClassCount}) but got {positiveClass}.");
        }
        var targets = new float[Count];
        for (int i = 0; i < targets.Length; i++) targets[i] = labels[i] == positiveClass ? 1f : 0f;
        return new Dataset(_features, targets, FeatureCount, 1, [ClassNames[positiveClass]]);
    }

    /// <summary>
    /// A dataset of the same rows' targets (shared: a dataset never changes) over new features of the same count, with
    /// the same classes and names.
    /// </summary>
    internal Dataset WithFeatures(float[] features) => new(features, _labels, _targets, this);

    /// <summary>A dataset of the same features (shared) and new float targets of the same shape and names.</summary>
    internal Dataset WithTargets(float[] targets) => new(_features, null, targets, this);

    private Dataset(float[] features, int[]? labels, float[]? targets, Dataset like)
    {
        _features = features;
        _labels = labels;
        _targets = targets;
        FeatureCount = like.FeatureCount;
        ClassCount = like.ClassCount;
        ClassNames = like.ClassNames;
        TargetCount = like.TargetCount;
        TargetNames = like.TargetNames;
        Count = labels?.Length ?? targets!.Length / like.TargetCount;
    }

    private static IReadOnlyList<string> CheckedNames(IReadOnlyList<string>? classNames, int classCount) =>
        classNames is null ? new IndexNames(classCount) : CheckedNames(classNames, classCount, nameof(classNames), "class");

    private static IReadOnlyList<string> CheckedNames(IReadOnlyList<string> names, int count, string argument, string what)
    {
        if (names.Count != count)
        {
            throw new ArgumentException($"Expected {count} {what} names (one per {what}) but got {names.Count}.", argument);
        }
        var copy = new string[count];
        for (int c = 0; c < count; c++)
        {
            // Copied so a caller's list changing later cannot rename the classes or targets of this dataset.
            copy[c] = names[c] ?? throw new ArgumentException($"Expected a name for every {what} but {argument}[{c}] is null.", argument);
        }
        return Array.AsReadOnly(copy);
    }
}
