using System;
using System.Runtime.CompilerServices;

namespace CompiledNets;

/// <summary>
/// Mini-batches over a <see cref="Dataset"/> or in-memory arrays, like PyTorch's <c>DataLoader(dataset, batch_size, shuffle)</c>:
/// <c>foreach (var (inputs, labels) in loader)</c> visits every sample once per epoch.
/// </summary>
/// <remarks>
/// With <c>shuffle</c>, each enumeration (epoch) draws a new order from a generator seeded once, so a
/// run is reproducible and epochs differ. Shuffled rows are gathered into a buffer owned by the
/// loader, so enumerating allocates nothing; a batch is valid until the next one is produced. The
/// last batch holds the remaining samples unless <c>dropLast</c> is set.
/// </remarks>
public sealed class DataLoader
{
    private readonly float[] _inputs;
    private readonly int[] _labels;
    private readonly int[] _order;
    private readonly float[] _batchInputs;
    private readonly int[] _batchLabels;
    private Rng _rng;

    /// <summary>Creates a loader over <paramref name="inputs"/> (one row per label) and <paramref name="labels"/>.</summary>
    public DataLoader(float[] inputs, int[] labels, int batchSize, bool shuffle = false, int seed = 0, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length == 0) throw new ArgumentException("Expected at least one sample but got no labels.", nameof(labels));
        if (inputs.Length == 0 || inputs.Length % labels.Length != 0)
        {
            throw new ArgumentException(
                $"Expected the inputs to hold one equal-length row per label ({labels.Length} labels), but got {inputs.Length} floats.", nameof(inputs));
        }
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Expected a batch size >= 1.");
        if (dropLast && batchSize > labels.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"With dropLast, expected a batch size <= the {labels.Length} samples, or no batch would remain.");
        }

        _inputs = inputs;
        _labels = labels;
        Features = inputs.Length / labels.Length;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        _rng = new Rng(seed);
        _order = new int[labels.Length];
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
        _batchInputs = shuffle ? new float[LargestBatch * Features] : [];
        _batchLabels = shuffle ? new int[LargestBatch] : [];
    }

    /// <summary>
    /// Creates a loader over <paramref name="dataset"/>, like PyTorch's <c>DataLoader(dataset, batch_size,
    /// shuffle, drop_last)</c>. The loader reads the dataset's arrays directly, without a copy (a
    /// <see cref="Dataset"/> never changes, so batches always see the same samples).
    /// </summary>
    public DataLoader(Dataset dataset, int batchSize, bool shuffle = false, int seed = 0, bool dropLast = false)
        : this(NotEmpty(dataset).FeatureArray, dataset.LabelArray, batchSize, shuffle, seed, dropLast)
    {
    }

    /// <summary>Floats per sample.</summary>
    public int Features { get; }

    /// <summary>Samples per batch (the last may hold fewer).</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch visits the samples in a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a last, incomplete batch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>Number of samples.</summary>
    public int SampleCount => _labels.Length;

    /// <summary>Every sample's label in dataset order, for checks made before a run starts.</summary>
    internal ReadOnlySpan<int> Labels => _labels;

    /// <summary>
    /// The most samples one batch holds: <see cref="BatchSize"/>, or every sample when there are fewer, so buffers sized by
    /// it cost nothing extra for a batch size beyond the dataset.
    /// </summary>
    public int LargestBatch => Math.Min(BatchSize, SampleCount);

    /// <summary>Number of batches per epoch, like <c>len(loader)</c>.</summary>
    public int Count => DropLast ? SampleCount / BatchSize : (int)(((long)SampleCount + BatchSize - 1) / BatchSize);

    /// <summary>
    /// The generator's state and the current sample order: each epoch shuffles the previous epoch's order in place,
    /// so both together decide every later epoch's order. A checkpoint saves them between epochs.
    /// </summary>
    internal ulong ShuffleRngState => _rng.State;

    /// <inheritdoc cref="ShuffleRngState"/>
    internal ReadOnlySpan<int> Order => _order;

    /// <summary>
    /// Restores what <see cref="ShuffleRngState"/> and <see cref="Order"/> exported, so the next epoch visits the
    /// samples in the order it would have had. <paramref name="order"/> must be a permutation of the sample indices.
    /// </summary>
    internal void RestoreShuffleState(ulong rngState, ReadOnlySpan<int> order)
    {
        if (order.Length != _order.Length)
        {
            throw new ArgumentException($"Expected an order of {_order.Length} sample indices but got {order.Length}.", nameof(order));
        }
        var seen = new bool[order.Length];
        foreach (int sample in order)
        {
            if ((uint)sample >= (uint)seen.Length || seen[sample])
            {
                throw new ArgumentException($"Expected a permutation of 0..{order.Length - 1} but {sample} is out of range or repeated.", nameof(order));
            }
            seen[sample] = true;
        }
        order.CopyTo(_order);
        _rng.State = rngState;
    }

    /// <summary>
    /// Starts an epoch (reshuffling when <see cref="Shuffle"/> is set). A loader walks one epoch at a time: starting
    /// another (a nested or concurrent <c>foreach</c>) ends the one under way, whose enumerator then throws.
    /// </summary>
    public Enumerator GetEnumerator()
    {
        if (Shuffle)
        {
            _rng.Shuffle(_order);
        }
        return new Enumerator(this, ++_epoch);
    }

    private int _epoch;

    private static Dataset NotEmpty(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0)
        {
            throw new ArgumentException("Expected a dataset with at least one sample but it has 0.", nameof(dataset));
        }
        return dataset;
    }

    // The hot loop of every training step: fully optimized from its first call, not after tiering up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Batch GetBatch(int index)
    {
        // index < Count, so start < SampleCount and the products below stay within the arrays' int lengths.
        int start = (int)((long)index * BatchSize);
        int size = Math.Min(BatchSize, SampleCount - start);
        if (!Shuffle)
        {
            return new Batch(_inputs.AsSpan(start * Features, size * Features), _labels.AsSpan(start, size));
        }
        for (int i = 0; i < size; i++)
        {
            int sample = _order[start + i];
            _inputs.AsSpan(sample * Features, Features).CopyTo(_batchInputs.AsSpan(i * Features));
            _batchLabels[i] = _labels[sample];
        }
        return new Batch(_batchInputs.AsSpan(0, size * Features), _batchLabels.AsSpan(0, size));
    }

    /// <summary>Walks one epoch's batches without allocating.</summary>
    public struct Enumerator
    {
        private readonly DataLoader _loader;
        private readonly int _epoch;
        private int _index;

        internal Enumerator(DataLoader loader, int epoch)
        {
            _loader = loader;
            _epoch = epoch;
            _index = -1;
        }

        /// <summary>The current batch.</summary>
        public readonly Batch Current
        {
            get
            {
                CheckEpoch();
                return _loader.GetBatch(_index);
            }
        }

        /// <summary>Moves to the next batch.</summary>
        public bool MoveNext()
        {
            CheckEpoch();
            return ++_index < _loader.Count;
        }

        private readonly void CheckEpoch()
        {
            if (_loader._epoch != _epoch)
            {
                throw new InvalidOperationException(
                    "Another epoch of this DataLoader started while this one was under way (a nested or concurrent foreach over one " +
                    "loader): a loader walks one epoch at a time, since each epoch reshuffles and reuses its batch buffers. " +
                    "Use one loader per loop or per thread.");
            }
        }
    }
}
