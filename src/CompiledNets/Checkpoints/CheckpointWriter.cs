using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace CompiledNets;

/// <summary>Appends little-endian numbers, strings and arrays to a growing buffer: the writing half of the checkpoint format.</summary>
internal sealed class CheckpointWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    /// <summary>A count or size; the format stores them unsigned.</summary>
    public void WriteCount(int value) => WriteUInt32(checked((uint)value));

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteSingle(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteString(string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        WriteCount(length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    /// <summary>A count, then the floats (their exact bits, NaN payloads included).</summary>
    public void WriteSingles(ReadOnlySpan<float> values)
    {
        WriteCount(values.Length);
        Span<byte> target = _buffer.GetSpan(values.Length * sizeof(float));
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(target.Slice(i * sizeof(float)), values[i]);
        }
        _buffer.Advance(values.Length * sizeof(float));
    }

    /// <summary>A count, then the integers.</summary>
    public void WriteInt32s(ReadOnlySpan<int> values)
    {
        WriteCount(values.Length);
        Span<byte> target = _buffer.GetSpan(values.Length * sizeof(int));
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(target.Slice(i * sizeof(int)), values[i]);
        }
        _buffer.Advance(values.Length * sizeof(int));
    }
}
