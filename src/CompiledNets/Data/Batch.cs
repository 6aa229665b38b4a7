using System;

namespace CompiledNets;

/// <summary>One mini-batch: <see cref="Inputs"/> rows of features and their <see cref="Targets"/>.</summary>
public readonly ref struct Batch
{
    /// <summary>Wraps a batch of class labels.</summary>
    public Batch(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        Inputs = inputs;
        Targets = new Targets(labels);
    }

    /// <summary>Wraps a batch of float targets, <see cref="Targets.PerSample"/> per sample.</summary>
    public Batch(ReadOnlySpan<float> inputs, Targets targets)
    {
        Inputs = inputs;
        Targets = targets;
    }

    /// <summary>Row-major features, one row per sample.</summary>
    public ReadOnlySpan<float> Inputs { get; }

    /// <summary>The samples' class labels or float targets.</summary>
    public Targets Targets { get; }

    /// <summary>Class indices; throws <see cref="InvalidOperationException"/> for a batch of float targets.</summary>
    public ReadOnlySpan<int> Labels => Targets.Labels;

    /// <summary>Number of samples.</summary>
    public int Size => Targets.Count;

    /// <summary>Lets <c>foreach (var (inputs, targets) in loader)</c> read like PyTorch, for labels and float targets alike.</summary>
    public void Deconstruct(out ReadOnlySpan<float> inputs, out Targets targets)
    {
        inputs = Inputs;
        targets = Targets;
    }
}
