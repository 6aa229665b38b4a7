using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace CompiledNets;

public static partial class Safetensors
{
    /// <summary>
    /// Writes the parameters of <paramref name="network"/> to <paramref name="destination"/> at its current position:
    /// one <c>F32</c> tensor per entry of <see cref="INetwork.NamedParameters"/> and one per entry of
    /// <see cref="INetwork.NamedBuffers"/> (<c>F32</c> running statistics, <c>I64</c> num_batches_tracked), in state_dict
    /// order, with metadata <c>{"format":"pt"}</c> as <c>transformers</c> writes it.
    /// </summary>
    public static void Save(INetwork network, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The destination stream is not writable.", nameof(destination));
        }

        List<StateTensor> tensors = StateTensors.Of(network);
        byte[] header = WriteHeader(tensors);

        Span<byte> size = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(size, (ulong)header.Length);
        destination.Write(size);
        destination.Write(header);

        // The data: each tensor's elements, little-endian, in header order (so the offsets written above hold).
        foreach (StateTensor tensor in tensors)
        {
            WriteLittleEndian(destination, tensor.Bytes(network), tensor.ElementSize);
        }
        destination.Flush();
    }

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes as the reference implementation does.</summary>
    private static byte[] WriteHeader(List<StateTensor> tensors)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject(MetadataKey);
            json.WriteString("format", "pt");
            json.WriteEndObject();

            long begin = 0;
            foreach (StateTensor tensor in tensors)
            {
                long end = begin + (long)tensor.Length * tensor.ElementSize;
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.Dtype);
                json.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape) json.WriteNumberValue(dimension);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(begin);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                begin = end;
            }
            json.WriteEndObject();
        }

        int padding = (8 - buffer.WrittenCount % 8) % 8;
        buffer.GetSpan(padding)[..padding].Fill((byte)' ');
        buffer.Advance(padding);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes elements as little-endian bytes: the memory itself on little-endian machines, swapped copies otherwise.</summary>
    private static void WriteLittleEndian(Stream destination, ReadOnlySpan<byte> values, int elementSize)
    {
        if (BitConverter.IsLittleEndian)
        {
            destination.Write(values);
            return;
        }
        byte[] swapped = values.ToArray();
        for (int i = 0; i < swapped.Length; i += elementSize)
        {
            swapped.AsSpan(i, elementSize).Reverse();
        }
        destination.Write(swapped);
    }
}
