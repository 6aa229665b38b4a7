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
    /// one <c>F32</c> tensor per entry of <see cref="INetwork.NamedParameters"/>, in that order, with metadata
    /// <c>{"format":"pt"}</c> as <c>transformers</c> writes it.
    /// </summary>
    public static void Save(INetwork network, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The destination stream is not writable.", nameof(destination));
        }

        IReadOnlyList<ParameterTensor> tensors = network.NamedParameters;
        byte[] header = WriteHeader(tensors);

        Span<byte> size = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(size, (ulong)header.Length);
        destination.Write(size);
        destination.Write(header);

        // The data: each tensor's floats, little-endian, in header order (so the offsets written above hold).
        Span<float> parameters = network.Parameters;
        foreach (ParameterTensor tensor in tensors)
        {
            WriteLittleEndian(destination, tensor.Slice(parameters));
        }
        destination.Flush();
    }

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes as the reference implementation does.</summary>
    private static byte[] WriteHeader(IReadOnlyList<ParameterTensor> tensors)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject(MetadataKey);
            json.WriteString("format", "pt");
            json.WriteEndObject();

            long begin = 0;
            foreach (ParameterTensor tensor in tensors)
            {
                long end = begin + (long)tensor.Length * sizeof(float);
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", Float32);
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

    /// <summary>Writes floats as little-endian bytes: the memory itself on little-endian machines, swapped copies otherwise.</summary>
    private static void WriteLittleEndian(Stream destination, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            destination.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        var swapped = new int[values.Length];
        BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, int>(values), swapped);
        destination.Write(MemoryMarshal.AsBytes(swapped.AsSpan()));
    }
}
