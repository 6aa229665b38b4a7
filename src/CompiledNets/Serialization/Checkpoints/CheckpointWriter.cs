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

    /// <summary>A state dict: its entry count, then per entry its name, a tag for the type and the value.</summary>
    public void WriteStateDict(StateDict state)
    {
        WriteCount(state.Count);
        foreach (var (name, value) in state)
        {
            WriteString(name);
            switch (value)
            {
                case float[] tensor:
                    WriteByte(StateTag.Tensor);
                    WriteSingles(tensor);
                    break;
                case double number:
                    WriteByte(StateTag.Number);
                    WriteUInt64(BitConverter.DoubleToUInt64Bits(number));
                    break;
                case long integer:
                    WriteByte(StateTag.Integer);
                    WriteInt64(integer);
                    break;
                case bool flag:
                    WriteByte(StateTag.Flag);
                    WriteBoolean(flag);
                    break;
                case string text:
                    WriteByte(StateTag.Text);
                    WriteString(text);
                    break;
                default:
                    throw new ArgumentException($"The state's entry '{name}' is a {value.GetType().Name}, which a checkpoint cannot hold.", nameof(state));
            }
        }
    }
}

/// <summary>The type tags of state dict values in a checkpoint.</summary>
internal static class StateTag
{
    public const byte Tensor = 1;
    public const byte Number = 2;
    public const byte Integer = 3;
    public const byte Flag = 4;
    public const byte Text = 5;
}
