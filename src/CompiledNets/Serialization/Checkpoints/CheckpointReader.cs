using System;
using System.Buffers.Binary;
using System.Text;

namespace CompiledNets;

/// <summary>
/// Reads what <see cref="CheckpointWriter"/> wrote, checking every length against the bytes that remain: a count
/// that points past the end raises <see cref="CheckpointFormatException"/> instead of reading out of range or
/// allocating what a corrupted count asks for.
/// </summary>
internal ref struct CheckpointReader
{
    /// <summary>No tensor or type name comes near this; a longer string means a corrupted length.</summary>
    private const int MaxStringBytes = 4096;

    private readonly ReadOnlySpan<byte> _bytes;
    private readonly int _baseOffset;
    private int _position;

    /// <param name="bytes">The bytes to read.</param>
    /// <param name="baseOffset">Where <paramref name="bytes"/> start in the file, for messages.</param>
    public CheckpointReader(ReadOnlySpan<byte> bytes, int baseOffset)
    {
        _bytes = bytes;
        _baseOffset = baseOffset;
    }

    public readonly int Remaining => _bytes.Length - _position;

    public byte ReadByte(string what) => Take(1, what)[0];

    public bool ReadBoolean(string what)
    {
        int offset = _position;
        byte value = ReadByte(what);
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw new CheckpointFormatException($"{what} at byte {_baseOffset + offset} is {value}, neither 0 nor 1"),
        };
    }

    public uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

    /// <summary>A count or size, which must fit an <see cref="int"/>.</summary>
    public int ReadCount(string what)
    {
        int offset = _position;
        uint value = ReadUInt32(what);
        return value <= int.MaxValue ? (int)value : throw new CheckpointFormatException($"{what} at byte {_baseOffset + offset} is {value}, too large");
    }

    public int ReadInt32(string what) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, what));

    public long ReadInt64(string what) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, what));

    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    public string ReadString(string what)
    {
        int offset = _position;
        int length = ReadCount(what + " length");
        if (length > MaxStringBytes)
        {
            throw new CheckpointFormatException($"{what} at byte {_baseOffset + offset} claims {length} bytes, more than the {MaxStringBytes} allowed");
        }
        ReadOnlySpan<byte> bytes = Take(length, what);
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new CheckpointFormatException($"{what} at byte {_baseOffset + offset} is not valid UTF-8");
        }
    }

    public float[] ReadSingles(string what)
    {
        int count = ReadCountOf(sizeof(float), what);
        ReadOnlySpan<byte> bytes = Take(count * sizeof(float), what);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float)));
        }
        return values;
    }

    public int[] ReadInt32s(string what)
    {
        int count = ReadCountOf(sizeof(int), what);
        ReadOnlySpan<byte> bytes = Take(count * sizeof(int), what);
        var values = new int[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(i * sizeof(int)));
        }
        return values;
    }

    /// <summary>A state dict as <see cref="CheckpointWriter.WriteStateDict"/> wrote it.</summary>
    public StateDict ReadStateDict(string what)
    {
        var state = new StateDict();
        int count = ReadCountOf(2 * sizeof(uint), what + " entry");
        for (int i = 0; i < count; i++)
        {
            string name = ReadString($"the name of entry {i} of {what}");
            if (name.Length == 0 || state.Contains(name))
            {
                throw new CheckpointFormatException($"{what} has an empty or repeated entry name '{name}'");
            }
            int offset = _position;
            byte tag = ReadByte($"the type of '{name}' in {what}");
            switch (tag)
            {
                case StateTag.Tensor:
                    state.Add(name, ReadSingles($"'{name}' in {what}"));
                    break;
                case StateTag.Number:
                    state.Add(name, BitConverter.UInt64BitsToDouble(ReadUInt64($"'{name}' in {what}")));
                    break;
                case StateTag.Integer:
                    state.Add(name, ReadInt64($"'{name}' in {what}"));
                    break;
                case StateTag.Flag:
                    state.Add(name, ReadBoolean($"'{name}' in {what}"));
                    break;
                case StateTag.Text:
                    state.Add(name, ReadString($"'{name}' in {what}"));
                    break;
                default:
                    throw new CheckpointFormatException($"the type of '{name}' in {what} at byte {_baseOffset + offset} is {tag}, not a known type");
            }
        }
        return state;
    }

    /// <summary>An element count, checked against the bytes left before anything is allocated for it.</summary>
    private int ReadCountOf(int elementSize, string what)
    {
        int offset = _position;
        int count = ReadCount(what + " count");
        if ((long)count * elementSize > Remaining)
        {
            throw new CheckpointFormatException(
                $"{what} at byte {_baseOffset + offset} claims {count} values ({(long)count * elementSize} bytes) but only {Remaining} bytes remain");
        }
        return count;
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining)
        {
            throw new CheckpointFormatException($"{what} at byte {_baseOffset + _position} needs {count} bytes but only {Remaining} remain");
        }
        ReadOnlySpan<byte> bytes = _bytes.Slice(_position, count);
        _position += count;
        return bytes;
    }
}

/// <summary>A checkpoint's body does not follow the format; caught by <see cref="Checkpoint"/> and reported as one problem.</summary>
internal sealed class CheckpointFormatException(string message) : Exception(message);
