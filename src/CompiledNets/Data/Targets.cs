using System;

namespace CompiledNets;

/// <summary>
/// The targets of one <see cref="Batch"/>: a class index per sample (<see cref="Labels"/>), or
/// <see cref="PerSample"/> floats per sample (<see cref="Values"/>), as the dataset holds them. It converts to the span a
/// criterion takes, so <c>criterion.Forward(outputs, targets)</c> reads the same for <see cref="CrossEntropyLoss"/>
/// and <see cref="MSELoss"/>, like PyTorch's <c>criterion(net(inputs), targets)</c>.
/// </summary>
public readonly ref struct Targets
{
    private readonly ReadOnlySpan<int> _labels;
    private readonly ReadOnlySpan<float> _values;

    /// <summary>Class labels, one per sample.</summary>
    public Targets(ReadOnlySpan<int> labels)
    {
        _labels = labels;
        AreLabels = true;
        PerSample = 1;
        Count = labels.Length;
    }

    /// <summary>Float targets, <paramref name="perSample"/> per sample, row-major.</summary>
    public Targets(ReadOnlySpan<float> values, int perSample)
    {
        if (perSample < 1) throw new ArgumentOutOfRangeException(nameof(perSample), perSample, $"Expected perSample >= 1 but got {perSample}.");
        if (values.Length % perSample != 0)
        {
            throw new ArgumentException($"Expected whole rows of {perSample} targets but got {values.Length} floats.", nameof(values));
        }
        _values = values;
        PerSample = perSample;
        Count = values.Length / perSample;
    }

    /// <summary>Whether these are class labels (else float values).</summary>
    public bool AreLabels { get; }

    /// <summary>Targets per sample: 1 for labels.</summary>
    public int PerSample { get; }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Number of target values: <see cref="Count"/> × <see cref="PerSample"/> (the length of either span).</summary>
    public int Length => Count * PerSample;

    /// <summary>The class labels; throws <see cref="InvalidOperationException"/> for float targets.</summary>
    public ReadOnlySpan<int> Labels => AreLabels
        ? _labels
        : throw new InvalidOperationException($"These targets are {PerSample} float(s) per sample, not class labels: pass them to a criterion of float targets or read Values.");

    /// <summary>The float targets, row-major; throws <see cref="InvalidOperationException"/> for class labels.</summary>
    public ReadOnlySpan<float> Values => !AreLabels
        ? _values
        : throw new InvalidOperationException("These targets are class labels, not floats: pass them to a criterion of class targets (CrossEntropyLoss) or read Labels.");

    /// <summary>The labels, for a criterion or metric of class labels; throws for float targets.</summary>
    public static implicit operator ReadOnlySpan<int>(Targets targets) => targets.Labels;

    /// <summary>The floats, for a criterion or metric of float targets; throws for class labels.</summary>
    public static implicit operator ReadOnlySpan<float>(Targets targets) => targets.Values;

    /// <summary>The span a criterion of <typeparamref name="T"/> targets reads.</summary>
    internal ReadOnlySpan<T> As<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(int)) return System.Runtime.InteropServices.MemoryMarshal.Cast<int, T>(Labels);
        if (typeof(T) == typeof(float)) return System.Runtime.InteropServices.MemoryMarshal.Cast<float, T>(Values);
        throw new NotSupportedException($"Targets hold int labels or float values, not {typeof(T).Name}.");
    }
}
