using System;
using System.Runtime.CompilerServices;

namespace CompiledNets;

/// <summary>Small span helpers that read like the PyTorch tensor expressions they replace.</summary>
public static class SpanExtensions
{
    /// <summary>
    /// Number of positions where the two spans hold the same value: <c>(predicted == labels).sum().item()</c>.
    /// </summary>
    public static int CountEqual(this Span<int> predicted, ReadOnlySpan<int> labels) => CountEqual((ReadOnlySpan<int>)predicted, labels);

    /// <inheritdoc cref="CountEqual(Span{int}, ReadOnlySpan{int})"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int CountEqual(this ReadOnlySpan<int> predicted, ReadOnlySpan<int> labels)
    {
        if (predicted.Length != labels.Length)
        {
            throw new ArgumentException($"Expected {predicted.Length} labels (one per prediction) but got {labels.Length}.", nameof(labels));
        }
        int count = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            count += predicted[i] == labels[i] ? 1 : 0;
        }
        return count;
    }
}
