using System;
using System.Collections.Generic;

namespace CompiledNets;

/// <summary>
/// One named tensor inside a network's flat parameter buffer, as in PyTorch's state_dict:
/// <c>"0.weight"</c> of shape <c>[out, in]</c> (row-major), <c>"0.bias"</c> of shape <c>[out]</c>.
/// </summary>
public sealed class ParameterTensor
{
    /// <summary>Creates a description of one parameter tensor.</summary>
    public ParameterTensor(string name, int offset, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Name = name;
        Offset = offset;
        Shape = (int[])shape.Clone();
        int length = 1;
        foreach (int dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension, nameof(shape));
            length = checked(length * dimension);
        }
        Length = length;
    }

    /// <summary>The state_dict key, e.g. <c>"2.weight"</c>.</summary>
    public string Name { get; }

    /// <summary>Index of the first float in the flat buffer.</summary>
    public int Offset { get; }

    /// <summary>Number of floats.</summary>
    public int Length { get; }

    /// <summary>Dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>This tensor's floats inside a flat buffer (parameters or gradients).</summary>
    public Span<float> Slice(Span<float> flat) => flat.Slice(Offset, Length);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}] at {Offset}";
}
