using System;
using System.Collections.Generic;

namespace CompiledNets;

/// <summary>
/// How many samples of each class go into each part of a stratified split: a rounding of the ideal
/// table <c>x[c, p] = n_c · P_p / N</c> (class sizes n_c, part sizes P_p, N samples) to integers that
/// keeps every row sum (each class is used up) and every column sum (each part has its size).
/// </summary>
/// <remarks>
/// Each entry becomes <c>⌊x⌋</c> or <c>⌊x⌋ + 1</c>, so it is less than one sample from its ideal.
/// Such a rounding always exists: the fractional parts of the table are themselves a flow from
/// classes to parts with integer totals, so an integer flow of the same size exists too (the
/// integrality theorem of max-flow). The entries with the largest fractional parts are raised first,
/// the largest-remainder rule scikit-learn's <c>_approximate_mode</c> uses; when that greedy pass
/// leaves a class short, augmenting paths move raised entries between classes until every sum
/// is exact. The arithmetic is in integers, so ideals that are whole numbers are never rounded.
/// </remarks>
internal static class StratifiedAllocation
{
    public static int[,] Allocate(ReadOnlySpan<int> classSizes, ReadOnlySpan<int> partSizes)
    {
        int classes = classSizes.Length, parts = partSizes.Length;
        long n = 0, partTotal = 0;
        foreach (int size in classSizes) n += size;
        foreach (int size in partSizes) partTotal += size;
        if (n != partTotal)
        {
            throw new ArgumentException($"Expected the part sizes to add up to the {n} samples but they add up to {partTotal}.", nameof(partSizes));
        }

        var counts = new int[classes, parts];
        if (n == 0) return counts;
        var remainder = new long[classes, parts];
        var rowNeed = new int[classes];
        var columnNeed = new int[parts];
        partSizes.CopyTo(columnNeed);
        var candidates = new List<(long Remainder, int Class, int Part)>();
        for (int c = 0; c < classes; c++)
        {
            rowNeed[c] = classSizes[c];
            for (int p = 0; p < parts; p++)
            {
                long product = (long)classSizes[c] * partSizes[p];
                counts[c, p] = (int)(product / n);
                remainder[c, p] = product % n;
                rowNeed[c] -= counts[c, p];
                columnNeed[p] -= counts[c, p];
                if (remainder[c, p] != 0) candidates.Add((remainder[c, p], c, p));
            }
        }

        // Greedy pass: largest remainders first, ties to the lower class then part index.
        var raised = new bool[classes, parts];
        candidates.Sort((a, b) => a.Remainder != b.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.Class != b.Class ? a.Class.CompareTo(b.Class) : a.Part.CompareTo(b.Part));
        foreach (var (_, c, p) in candidates)
        {
            if (rowNeed[c] > 0 && columnNeed[p] > 0)
            {
                raised[c, p] = true;
                rowNeed[c]--;
                columnNeed[p]--;
            }
        }

        // Repair pass: for each class still short, find an augmenting path in the residual graph.
        var search = new PathSearch(remainder, raised, columnNeed);
        for (int c = 0; c < classes; c++)
        {
            for (; rowNeed[c] > 0; rowNeed[c]--)
            {
                if (!search.Augment(c))
                {
                    throw new InvalidOperationException($"Internal error: no stratified allocation found for class {c}; please report it.");
                }
            }
        }

        for (int c = 0; c < classes; c++)
        {
            for (int p = 0; p < parts; p++) counts[c, p] += raised[c, p] ? 1 : 0;
        }
        return counts;
    }

    /// <summary>
    /// Depth-first search for a path class → part (raise an entry) → class (lower one) → part … that
    /// ends at a part still short of its size; applying it gives the first class one more sample.
    /// </summary>
    private sealed class PathSearch(long[,] remainder, bool[,] raised, int[] columnNeed)
    {
        private readonly bool[] _visitedClass = new bool[remainder.GetLength(0)];
        private readonly bool[] _visitedPart = new bool[remainder.GetLength(1)];

        public bool Augment(int c)
        {
            Array.Clear(_visitedClass);
            Array.Clear(_visitedPart);
            return Visit(c);
        }

        private bool Visit(int c)
        {
            _visitedClass[c] = true;
            for (int p = 0; p < _visitedPart.Length; p++)
            {
                // Only entries with a fractional part may be raised, and each at most once.
                if (remainder[c, p] == 0 || raised[c, p] || _visitedPart[p]) continue;
                _visitedPart[p] = true;
                if (columnNeed[p] > 0)
                {
                    columnNeed[p]--;
                    raised[c, p] = true;
                    return true;
                }
                // The part is full: let a class holding one of its raised entries take another part instead.
                for (int other = 0; other < _visitedClass.Length; other++)
                {
                    if (raised[other, p] && !_visitedClass[other] && Visit(other))
                    {
                        raised[other, p] = false;
                        raised[c, p] = true;
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
