using System;
using System.Collections.Generic;

namespace CompiledNets;

/// <summary>The element type of a buffer, as PyTorch stores it.</summary>
public enum BufferDtype
{
    /// <summary><c>torch.float32</c>, in <see cref="INetwork.Buffers"/> (running statistics).</summary>
    Float32,

    /// <summary><c>torch.int64</c>, in <see cref="INetwork.IntegerBuffers"/> (<c>num_batches_tracked</c>).</summary>
    Int64,
}

/// <summary>
/// One named buffer of a network, as in PyTorch's state_dict: state that is saved and loaded with the parameters but
/// not trained, such as a batch normalization's <c>"1.running_mean"</c> <c>[C]</c>, <c>"1.running_var"</c> <c>[C]</c> and
/// <c>"1.num_batches_tracked"</c> (an int64 scalar, shape <c>[]</c>).
/// </summary>
public sealed class BufferTensor
{
    /// <summary>Creates a description of one buffer.</summary>
    public BufferTensor(string name, int offset, BufferDtype dtype, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (!Enum.IsDefined(dtype))
        {
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Expected Float32 or Int64.");
        }
        Name = name;
        Offset = offset;
        Dtype = dtype;
        Shape = (int[])shape.Clone();
        int length = 1;
        foreach (int dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension, nameof(shape));
            length = checked(length * dimension);
        }
        Length = length;
    }

    /// <summary>The state_dict key, e.g. <c>"1.running_mean"</c>.</summary>
    public string Name { get; }

    /// <summary>Index of the first element in <see cref="INetwork.Buffers"/> (Float32) or <see cref="INetwork.IntegerBuffers"/> (Int64).</summary>
    public int Offset { get; }

    /// <summary>The element type, which says which flat buffer holds it.</summary>
    public BufferDtype Dtype { get; }

    /// <summary>Number of elements (1 for a scalar).</summary>
    public int Length { get; }

    /// <summary>Dimensions, outermost first; empty for a scalar.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>This buffer's floats inside <see cref="INetwork.Buffers"/>.</summary>
    public Span<float> Slice(Span<float> flat) =>
        Dtype == BufferDtype.Float32 ? flat.Slice(Offset, Length) : throw new InvalidOperationException($"{Name} is an Int64 buffer.");

    /// <summary>This buffer's integers inside <see cref="INetwork.IntegerBuffers"/>.</summary>
    public Span<long> Slice(Span<long> flat) =>
        Dtype == BufferDtype.Int64 ? flat.Slice(Offset, Length) : throw new InvalidOperationException($"{Name} is a Float32 buffer.");

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Dtype} [{string.Join(", ", Shape)}] at {Offset}";
}
