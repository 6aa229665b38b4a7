using System;

namespace CompiledNets;

/// <summary>One mini-batch: <see cref="Inputs"/> rows of features and their <see cref="Labels"/>.</summary>
public readonly ref struct Batch
{
    /// <summary>Wraps a batch.</summary>
    public Batch(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        Inputs = inputs;
        Labels = labels;
    }

    /// <summary>Row-major features, one row per label.</summary>
    public ReadOnlySpan<float> Inputs { get; }

    /// <summary>Class indices.</summary>
    public ReadOnlySpan<int> Labels { get; }

    /// <summary>Number of samples.</summary>
    public int Size => Labels.Length;

    /// <summary>Lets <c>foreach (var (inputs, labels) in loader)</c> read like PyTorch.</summary>
    public void Deconstruct(out ReadOnlySpan<float> inputs, out ReadOnlySpan<int> labels)
    {
        inputs = Inputs;
        labels = Labels;
    }
}
