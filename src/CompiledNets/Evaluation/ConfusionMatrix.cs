using System;

namespace CompiledNets;

/// <summary>
/// Counts of (true class, predicted class) pairs, like <c>sklearn.metrics.confusion_matrix(y_true, y_pred,
/// labels=range(n))</c>: <c>C[i, j]</c> is the number of samples whose true class is <c>i</c> and that were
/// predicted as <c>j</c>. Rows are true classes, columns predicted classes, so the diagonal holds the
/// correct predictions, a row sums to that class's support and a column to how often it was predicted.
/// </summary>
/// <remarks>
/// Counts accumulate across <see cref="Add"/> calls, so a matrix can be filled batch by batch;
/// <see cref="Evaluate"/> does that for a network and a loader. Split across files like the Regex
/// generator: counting here, evaluating a network in <c>ConfusionMatrix.Evaluate.cs</c>, the text table in
/// <c>ConfusionMatrix.Format.cs</c>.
/// </remarks>
public sealed partial class ConfusionMatrix
{
    // Row-major [ClassCount, ClassCount]: _counts[actual * ClassCount + predicted].
    private readonly int[] _counts;

    // The largest cell, kept so Add can refuse a batch that could overflow a cell before it changes anything.
    private int _largestCount;

    /// <summary>The most classes a matrix holds: the largest n with n² ≤ <see cref="Array.MaxLength"/>.</summary>
    public const int MaxClassCount = 46_340;

    /// <summary>Creates an empty matrix for classes <c>0 .. classCount − 1</c>.</summary>
    public ConfusionMatrix(int classCount)
    {
        if (classCount < 1 || classCount > MaxClassCount)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount,
                $"Expected classCount in [1, {MaxClassCount}] (the classCount × classCount counts must fit one array) but got {classCount}.");
        }
        ClassCount = classCount;
        _counts = new int[classCount * classCount];
    }

    /// <summary>Number of classes: the matrix is <see cref="ClassCount"/> × <see cref="ClassCount"/>.</summary>
    public int ClassCount { get; }

    /// <summary>Number of samples counted: the sum of every cell.</summary>
    public long Total { get; private set; }

    /// <summary>Number of samples whose true class is <paramref name="actual"/> and that were predicted as <paramref name="predicted"/>.</summary>
    public int this[int actual, int predicted]
    {
        get
        {
            if ((uint)actual >= (uint)ClassCount) throw new ArgumentOutOfRangeException(nameof(actual), actual, $"Expected 0 <= actual < {ClassCount}.");
            if ((uint)predicted >= (uint)ClassCount) throw new ArgumentOutOfRangeException(nameof(predicted), predicted, $"Expected 0 <= predicted < {ClassCount}.");
            return _counts[actual * ClassCount + predicted];
        }
    }

    /// <summary>
    /// Counts one pair per position: sample <c>i</c> has true class <c>labels[i]</c> and was predicted as
    /// <c>predicted[i]</c> (the argument order of <see cref="SpanExtensions.CountEqual(ReadOnlySpan{int}, ReadOnlySpan{int})"/>).
    /// Every argument is checked before any count changes, so a rejected batch leaves the matrix as it was.
    /// </summary>
    public void Add(ReadOnlySpan<int> predicted, ReadOnlySpan<int> labels)
    {
        if (predicted.Length != labels.Length)
        {
            throw new ArgumentException($"Expected {predicted.Length} labels (one per prediction) but got {labels.Length}.", nameof(labels));
        }
        CheckRange(predicted, nameof(predicted));
        CheckRange(labels, nameof(labels));
        if (_largestCount > int.MaxValue - predicted.Length)
        {
            throw new InvalidOperationException($"Adding {predicted.Length} samples could overflow a cell that already counts {_largestCount}.");
        }

        for (int i = 0; i < predicted.Length; i++)
        {
            int count = ++_counts[labels[i] * ClassCount + predicted[i]];
            _largestCount = Math.Max(_largestCount, count);
        }
        Total += predicted.Length;
    }

    /// <summary>A copy with the same counts, which later <see cref="Add"/> calls on either do not share.</summary>
    internal ConfusionMatrix Clone()
    {
        var copy = new ConfusionMatrix(ClassCount) { Total = Total, _largestCount = _largestCount };
        _counts.CopyTo(copy._counts, 0);
        return copy;
    }

    private void CheckRange(ReadOnlySpan<int> classes, string name)
    {
        for (int i = 0; i < classes.Length; i++)
        {
            if ((uint)classes[i] >= (uint)ClassCount)
            {
                throw new ArgumentOutOfRangeException(name, classes[i], $"Expected every class in [0, {ClassCount}) but {name}[{i}] = {classes[i]}.");
            }
        }
    }
}
