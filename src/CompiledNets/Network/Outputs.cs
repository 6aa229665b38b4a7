using System;
using System.Runtime.CompilerServices;

namespace CompiledNets;

/// <summary>
/// The logits of one batched forward pass: <see cref="BatchSize"/> rows of <see cref="Features"/> floats.
/// It views the network's own output buffer, so it is valid until the next batched forward.
/// </summary>
public readonly ref struct Outputs
{
    /// <summary>Wraps a network's output rows.</summary>
    public Outputs(ReadOnlySpan<float> data, int batchSize, int features, INetwork? network, long version)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Expected at least one row.");
        if (features <= 0) throw new ArgumentOutOfRangeException(nameof(features), features, "Expected at least one feature.");
        if (data.Length != (long)batchSize * features)
        {
            throw new ArgumentException($"Expected {batchSize} x {features} = {(long)batchSize * features} floats but got {data.Length}.", nameof(data));
        }
        Data = data;
        BatchSize = batchSize;
        Features = features;
        Network = network;
        Version = version;
    }

    /// <summary>Row-major <c>[BatchSize, Features]</c> values.</summary>
    public ReadOnlySpan<float> Data { get; }

    /// <summary>Number of rows (samples).</summary>
    public int BatchSize { get; }

    /// <summary>Floats per row.</summary>
    public int Features { get; }

    /// <summary>The network to back-propagate into, or null when computed under <see cref="NoGradScope"/>.</summary>
    public INetwork? Network { get; }

    /// <summary>The network's <see cref="INetwork.ForwardVersion"/> when these outputs were computed.</summary>
    public long Version { get; }

    /// <summary>The value at row <paramref name="row"/>, column <paramref name="column"/>.</summary>
    public float this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)BatchSize) throw new ArgumentOutOfRangeException(nameof(row), row, $"Expected 0 <= row < {BatchSize}.");
            if ((uint)column >= (uint)Features) throw new ArgumentOutOfRangeException(nameof(column), column, $"Expected 0 <= column < {Features}.");
            return Data[row * Features + column];
        }
    }

    /// <summary>One row of logits.</summary>
    public ReadOnlySpan<float> Row(int row)
    {
        if ((uint)row >= (uint)BatchSize) throw new ArgumentOutOfRangeException(nameof(row), row, $"Expected 0 <= row < {BatchSize}.");
        return Data.Slice(row * Features, Features);
    }

    /// <summary>
    /// Writes the index of the largest value of each row into <paramref name="predicted"/>, like the
    /// indices of <c>torch.max(outputs, 1)</c> (the first maximum wins on ties), and returns the
    /// <see cref="BatchSize"/> entries written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Span<int> ArgMax(Span<int> predicted)
    {
        if (predicted.Length < BatchSize)
        {
            throw new ArgumentException($"Expected room for {BatchSize} predictions but got {predicted.Length}.", nameof(predicted));
        }
        for (int row = 0; row < BatchSize; row++)
        {
            ReadOnlySpan<float> values = Data.Slice(row * Features, Features);
            // The first maximum wins; a NaN counts as the largest value, as in TensorPrimitives.IndexOfMax.
            int best = 0;
            for (int c = 1; c < values.Length && !float.IsNaN(values[best]); c++)
            {
                if (values[c] > values[best] || float.IsNaN(values[c]))
                {
                    best = c;
                }
            }
            predicted[row] = best;
        }
        return predicted.Slice(0, BatchSize);
    }
}
