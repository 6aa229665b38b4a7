using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace CompiledNets.Onnx;

/// <summary>
/// Just enough of the protocol buffers wire format to write an ONNX model: varints, 32-bit floats and
/// length-delimited fields (strings, bytes, nested messages).
/// </summary>
/// <remarks>
/// Every field starts with a key, <c>(field_number &lt;&lt; 3) | wire_type</c>, as a varint. Wire types:
/// 0 = varint (int32, int64, enums), 2 = length-delimited (a varint length, then that many bytes),
/// 5 = fixed 32-bit little-endian (float). A nested message is written into its own
/// <see cref="ProtoWriter"/> first, so its length is known before it is copied into the parent; the
/// models exported here are small enough that copying each level once costs nothing noticeable, and
/// it keeps the runtime free of a Google.Protobuf dependency.
/// See https://protobuf.dev/programming-guides/encoding/.
/// </remarks>
internal sealed class ProtoWriter
{
    private const int Varint = 0;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>The encoded message so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    /// <summary>An int32, int64 or enum field (wire type 0).</summary>
    public void WriteInt64(int field, long value)
    {
        WriteKey(field, Varint);
        // Negative values are encoded as their 64-bit two's complement (ten bytes), as protobuf does for int32 and int64.
        WriteVarint(unchecked((ulong)value));
    }

    /// <summary>A float field (wire type 5, little-endian IEEE 754).</summary>
    public void WriteFloat(int field, float value)
    {
        WriteKey(field, Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    /// <summary>A string field, UTF-8 without terminator (wire type 2).</summary>
    public void WriteString(int field, string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        WriteKey(field, LengthDelimited);
        WriteVarint((ulong)length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    /// <summary>A bytes field (wire type 2).</summary>
    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteKey(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>A bytes field holding floats as fixed-width little-endian IEEE 754 (ONNX <c>raw_data</c>).</summary>
    public void WriteFloatsAsBytes(int field, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            WriteBytes(field, MemoryMarshal.AsBytes(values));
            return;
        }
        int length = checked(values.Length * sizeof(float));
        WriteKey(field, LengthDelimited);
        WriteVarint((ulong)length);
        Span<byte> destination = _buffer.GetSpan(length);
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(i * sizeof(float)), values[i]);
        }
        _buffer.Advance(length);
    }

    /// <summary>A nested message field (wire type 2): its encoded bytes, prefixed with their length.</summary>
    public void WriteMessage(int field, ProtoWriter message) => WriteBytes(field, message.WrittenSpan);

    private void WriteKey(int field, int wireType) => WriteVarint((ulong)((uint)field << 3 | (uint)wireType));

    // Base-128 varint: seven bits per byte, least significant group first, high bit set on all but the last byte.
    private void WriteVarint(ulong value)
    {
        Span<byte> destination = _buffer.GetSpan(10);
        int written = 0;
        while (value >= 0x80)
        {
            destination[written++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[written++] = (byte)value;
        _buffer.Advance(written);
    }
}
