using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace CompiledNets;

public static partial class Safetensors
{
    /// <summary>Reads, checks everything, then (only if nothing is wrong) copies into the parameters.</summary>
    private static void Load(INetwork network, Stream source, string sourceName)
    {
        if (!source.CanRead)
        {
            throw new ArgumentException($"Cannot load from {sourceName}: the stream is not readable.", nameof(source));
        }
        List<StateTensor> expected = StateTensors.Of(network);
        long expectedBytes = expected.Sum(tensor => (long)tensor.Length * tensor.ElementSize);
        var problems = new List<string>();

        // 1. The header: its size, then the JSON. Until the JSON parses there is nothing more to check.
        byte[]? header = ReadHeader(source, problems);
        List<SafetensorsEntry>? entries = header is null ? null : SafetensorsHeader.Parse(header, problems);
        if (entries is null)
        {
            throw Failure(network, sourceName, problems);
        }

        // 2. Names, dtypes and shapes against the network, in state_dict order; then what the network lacks.
        var byName = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        foreach (SafetensorsEntry entry in entries) byName.TryAdd(entry.Name, entry);
        var expectedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (StateTensor tensor in expected)
        {
            expectedNames.Add(tensor.Name);
            string wanted = $"{tensor.Dtype} {FormatShape(tensor.Shape.Select(d => (long)d))}";
            if (!byName.TryGetValue(tensor.Name, out SafetensorsEntry? entry))
            {
                problems.Add($"missing tensor '{tensor.Name}' ({wanted})");
                continue;
            }
            // An unknown dtype was already reported by the parser; say it once.
            if (entry.Dtype is not null && entry.Dtype != tensor.Dtype && ElementSize(entry.Dtype) is not null)
            {
                problems.Add(tensor.Dtype == Float32
                    ? $"'{tensor.Name}' has dtype {entry.Dtype} but {Float32} is expected (in PyTorch, save model.float().state_dict())"
                    : $"'{tensor.Name}' has dtype {entry.Dtype} but {tensor.Dtype} is expected (PyTorch's num_batches_tracked is int64)");
            }
            if (entry.Shape is not null && !entry.Shape.SequenceEqual(tensor.Shape.Select(d => (ulong)d)))
            {
                problems.Add($"'{tensor.Name}' has shape {FormatShape(entry.Shape.Select(d => (long)d))} but {FormatShape(tensor.Shape.Select(d => (long)d))} is expected");
            }
        }
        foreach (SafetensorsEntry entry in entries.Where(entry => !expectedNames.Contains(entry.Name)))
        {
            string found = entry.Dtype is not null && entry.Shape is not null ? $" ({entry.Dtype} {FormatShape(entry.Shape.Select(d => (long)d))})" : "";
            problems.Add($"unexpected tensor '{entry.Name}'{found}: {network.GetType().Name} has no such parameter or buffer");
        }

        // 3. The byte layout of every entry, extra ones included: it is a property of the file.
        ulong dataEnd = CheckLayout(entries, problems);

        // 4. The data. Read even when something is already wrong, so a truncated file is reported with the rest.
        if (expectedBytes > Array.MaxLength)
        {
            problems.Add($"{network.GetType().Name} has {expectedBytes} bytes of parameters, more than one buffer can stage");
            throw Failure(network, sourceName, problems);
        }
        var staging = new byte[expectedBytes];
        (ulong dataLength, bool atLeast) = ReadData(source, staging, limit: Math.Max(dataEnd, (ulong)expectedBytes));
        if (dataLength < dataEnd)
        {
            problems.Add($"the data is truncated: the header places tensors up to byte {dataEnd} of the data section but only {dataLength} bytes follow the header");
        }
        else if (dataLength > dataEnd && entries.All(entry => entry.DataOffsets is not null))
        {
            // Only when every entry's range is known: otherwise the "extra" bytes may be that entry's.
            string extra = atLeast ? $"at least {dataLength - dataEnd}" : $"{dataLength - dataEnd}";
            problems.Add($"{extra} bytes follow the last tensor (which ends at byte {dataEnd} of the data section)");
        }

        if (problems.Count > 0)
        {
            throw Failure(network, sourceName, problems);
        }

        // 5. Nothing is wrong: the file's tensors are exactly the network's, of their dtypes, and cover staging exactly.
        foreach (StateTensor tensor in expected)
        {
            ulong[] offsets = byName[tensor.Name].DataOffsets!;
            Span<byte> target = tensor.Bytes(network);
            staging.AsSpan((int)offsets[0], (int)(offsets[1] - offsets[0])).CopyTo(target);
            if (!BitConverter.IsLittleEndian)
            {
                for (int i = 0; i < target.Length; i += tensor.ElementSize)
                {
                    target.Slice(i, tensor.ElementSize).Reverse();
                }
            }
        }
    }

    /// <summary>The 8-byte size and the header bytes; null (with the reason added) when the file ends first or the size is absurd.</summary>
    private static byte[]? ReadHeader(Stream source, List<string> problems)
    {
        Span<byte> sizeField = stackalloc byte[8];
        int read = source.ReadAtLeast(sizeField, sizeField.Length, throwOnEndOfStream: false);
        if (read < sizeField.Length)
        {
            problems.Add($"the file is truncated: it holds {read} bytes, fewer than the 8 of the header size");
            return null;
        }
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(sizeField);
        if (size > MaxHeaderSize)
        {
            problems.Add($"the header size field says {size} bytes, more than the {MaxHeaderSize} allowed: not a safetensors file, or a corrupted one");
            return null;
        }
        // A seekable stream tells us up front whether the header fits, before we allocate it.
        if (source.CanSeek && (long)size > source.Length - source.Position)
        {
            problems.Add($"the file is truncated: the header size field says {size} bytes but only {source.Length - source.Position} follow it");
            return null;
        }
        var header = new byte[size];
        read = source.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < header.Length)
        {
            problems.Add($"the file is truncated: the header size field says {size} bytes but only {read} follow it");
            return null;
        }
        return header;
    }

    /// <summary>
    /// Checks each entry's byte range against its dtype and shape, then that the ranges tile the data section from
    /// byte 0 with no gap and no overlap (as the reference implementation requires). Returns where the data ends.
    /// </summary>
    private static ulong CheckLayout(List<SafetensorsEntry> entries, List<string> problems)
    {
        var ranges = new List<(ulong Begin, ulong End, string Name)>();
        foreach (SafetensorsEntry entry in entries)
        {
            if (entry.DataOffsets is not [ulong begin, ulong end]) continue;
            if (end < begin)
            {
                problems.Add($"'{entry.Name}' has data_offsets [{begin}, {end}]: the end comes before the begin");
                continue;
            }
            ranges.Add((begin, end, entry.Name));
            if (entry.Dtype is not null && ElementSize(entry.Dtype) is int elementSize && entry.Shape is not null)
            {
                ulong? count = entry.ElementCount;
                UInt128 needed = (UInt128)(count ?? 0) * (UInt128)elementSize;
                if (count is null || needed != end - begin)
                {
                    string neededText = count is null ? "more than 2^64 elements" : $"{needed} bytes";
                    problems.Add($"'{entry.Name}' has data_offsets [{begin}, {end}] ({end - begin} bytes) but {entry.Dtype} {FormatShape(entry.Shape.Select(d => (long)d))} needs {neededText}");
                }
            }
        }

        ranges.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        ulong cursor = 0;
        string? previous = null;
        ulong previousBegin = 0;
        foreach ((ulong begin, ulong end, string name) in ranges)
        {
            if (begin > cursor)
            {
                string after = previous is null ? "at the start of the data" : $"after '{previous}'";
                problems.Add($"bytes [{cursor}, {begin}) of the data belong to no tensor ({after}, before '{name}')");
            }
            else if (begin < cursor)
            {
                problems.Add($"'{name}' [{begin}, {end}) overlaps '{previous}' [{previousBegin}, {cursor})");
            }
            if (end >= cursor)
            {
                cursor = end;
                previous = name;
                previousBegin = begin;
            }
        }
        return cursor;
    }

    /// <summary>
    /// Reads the data section into <paramref name="staging"/> (as much as fits) and counts the rest, stopping once it
    /// is known to be longer than <paramref name="limit"/>. Returns its length and whether that is only a lower bound.
    /// </summary>
    private static (ulong Length, bool AtLeast) ReadData(Stream source, byte[] staging, ulong limit)
    {
        ulong length = (ulong)source.ReadAtLeast(staging, staging.Length, throwOnEndOfStream: false);
        if (length < (ulong)staging.Length)
        {
            return (length, false);
        }
        if (source.CanSeek)
        {
            return ((ulong)staging.Length + (ulong)(source.Length - source.Position), false);
        }
        Span<byte> scratch = stackalloc byte[4096];
        while (length <= limit)
        {
            int read = source.Read(scratch);
            if (read == 0) return (length, false);
            length += (ulong)read;
        }
        return (length, true);
    }

    private static InvalidDataException Failure(INetwork network, string sourceName, List<string> problems)
    {
        string count = problems.Count == 1 ? "1 problem" : $"{problems.Count} problems";
        return new InvalidDataException(
            $"Cannot load {sourceName} into {network.GetType().Name} ({count}; nothing was loaded):"
            + string.Concat(problems.Select(problem => Environment.NewLine + "  - " + problem)));
    }
}
