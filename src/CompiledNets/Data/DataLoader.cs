using System;
using System.Runtime.CompilerServices;

namespace CompiledNets;

/// <summary>
/// Mini-batches over a <see cref="Dataset"/> or in-memory arrays, like PyTorch's <c>DataLoader(dataset, batch_size, shuffle)</c>:
/// <c>foreach (var (inputs, targets) in loader)</c> visits every sample once per epoch, with its class label or float
/// targets (<see cref="Targets"/>).
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
    private readonly int[]? _labels;
    private readonly float[]? _targets;
    private readonly int[] _order;
    private readonly float[] _batchInputs;
    private readonly int[] _batchLabels;
    private readonly float[] _batchTargets;
    private Rng _rng;

    /// <summary>Creates a loader over <paramref name="inputs"/> (one row per label) and class <paramref name="labels"/>.</summary>
    // A collection expression such as [0, 1, 2] fits int[] and float[] alike: class labels, as torch.tensor([0, 1, 2]) is long.
    [OverloadResolutionPriority(1)]
    public DataLoader(float[] inputs, int[] labels, int batchSize, bool shuffle = false, int seed = 0, bool dropLast = false)
        : this(inputs, labels, null, NotNull(labels).Length, 1, batchSize, shuffle, seed, dropLast, checkTargets: false)
    {
    }

    /// <summary>
    /// Creates a loader over <paramref name="inputs"/> and float <paramref name="targets"/>, <paramref name="targetCount"/>
    /// per sample (one row of inputs per row of targets).
    /// </summary>
    public DataLoader(float[] inputs, float[] targets, int batchSize, bool shuffle = false, int seed = 0, bool dropLast = false, int targetCount = 1)
        : this(inputs, null, targets, SampleCountOf(targets, targetCount), targetCount, batchSize, shuffle, seed, dropLast, checkTargets: true)
    {
    }

    private DataLoader(
        float[] inputs, int[]? labels, float[]? targets, int samples, int targetCount, int batchSize, bool shuffle, int seed, bool dropLast, bool checkTargets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        string targetsName = labels is null ? nameof(targets) : nameof(labels);
        if (samples == 0) throw new ArgumentException($"Expected at least one sample but got no {targetsName}.", targetsName);
        if (inputs.Length == 0 || inputs.Length % samples != 0)
        {
            string rows = labels is null ? $"{samples} rows of {targetCount} targets" : $"{samples} labels";
            throw new ArgumentException($"Expected the inputs to hold one equal-length row per sample ({rows}), but got {inputs.Length} floats.", nameof(inputs));
        }
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Expected a batch size >= 1.");
        if (dropLast && batchSize > samples)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"With dropLast, expected a batch size <= the {samples} samples, or no batch would remain.");
        }
        // A Dataset checked its targets when it was made; arrays are checked here.
        if (checkTargets && targets is not null)
        {
            FiniteCheck.ThrowIfNotFinite(targets, targetCount, nameof(targets));
        }

        _inputs = inputs;
        _labels = labels;
        _targets = targets;
        SampleCount = samples;
        TargetCount = targetCount;
        Features = inputs.Length / samples;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        _rng = new Rng(seed);
        _order = new int[samples];
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
        _batchInputs = shuffle ? new float[LargestBatch * Features] : [];
        _batchLabels = shuffle && labels is not null ? new int[LargestBatch] : [];
        _batchTargets = shuffle && targets is not null ? new float[LargestBatch * targetCount] : [];
    }

    /// <summary>
    /// Creates a loader over <paramref name="dataset"/>, like PyTorch's <c>DataLoader(dataset, batch_size,
    /// shuffle, drop_last)</c>, with its class labels or float targets. The loader reads the dataset's arrays directly,
    /// without a copy (a <see cref="Dataset"/> never changes, so batches always see the same samples).
    /// </summary>
    public DataLoader(Dataset dataset, int batchSize, bool shuffle = false, int seed = 0, bool dropLast = false)
        : this(NotEmpty(dataset).FeatureArray, dataset.LabelArray, dataset.TargetArray, dataset.Count, dataset.TargetCount, batchSize, shuffle, seed, dropLast, checkTargets: false)
    {
    }

    private static int[] NotNull(int[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels;
    }

    private static int SampleCountOf(float[] targets, int targetCount)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targetCount < 1) throw new ArgumentOutOfRangeException(nameof(targetCount), targetCount, $"Expected targetCount >= 1 but got {targetCount}.");
        if (targets.Length % targetCount != 0)
        {
            throw new ArgumentException($"Expected whole rows of targetCount {targetCount} targets but got {targets.Length} floats.", nameof(targets));
        }
        return targets.Length / targetCount;
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
    public int SampleCount { get; }

    /// <summary>Whether the samples carry class labels (else float targets).</summary>
    public bool HasLabels => _labels is not null;

    /// <summary>Targets per sample: 1 for labels.</summary>
    public int TargetCount { get; }

    /// <summary>Every sample's targets in dataset order, for checks made before a run starts.</summary>
    internal Targets AllTargets => _labels is not null ? new Targets(_labels) : new Targets(_targets!, TargetCount);

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
        int perSample = TargetCount;
        if (!Shuffle)
        {
            var inputs = _inputs.AsSpan(start * Features, size * Features);
            return _labels is not null
                ? new Batch(inputs, _labels.AsSpan(start, size))
                : new Batch(inputs, new Targets(_targets!.AsSpan(start * perSample, size * perSample), perSample));
        }
        RowGather.Copy(_inputs, _order.AsSpan(start, size), Features, _batchInputs);
        var shuffled = _batchInputs.AsSpan(0, size * Features);
        if (_labels is not null)
        {
            for (int i = 0; i < size; i++) _batchLabels[i] = _labels[_order[start + i]];
            return new Batch(shuffled, _batchLabels.AsSpan(0, size));
        }
        RowGather.Copy(_targets!, _order.AsSpan(start, size), perSample, _batchTargets);
        return new Batch(shuffled, new Targets(_batchTargets.AsSpan(0, size * perSample), perSample));
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
