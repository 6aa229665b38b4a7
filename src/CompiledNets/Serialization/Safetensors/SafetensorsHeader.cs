using System;
using System.Collections.Generic;
using System.Text.Json;

namespace CompiledNets;

/// <summary>
/// One tensor entry of a safetensors header as the file states it. Parts the file got wrong are <see langword="null"/>;
/// the parser has already reported why.
/// </summary>
internal sealed record SafetensorsEntry(string Name, string? Dtype, ulong[]? Shape, ulong[]? DataOffsets)
{
    /// <summary>Number of elements the shape holds (1 for a scalar's empty shape), or null when unknown or beyond 2^64.</summary>
    public ulong? ElementCount
    {
        get
        {
            if (Shape is null) return null;
            ulong count = 1;
            foreach (ulong dimension in Shape)
            {
                if (dimension != 0 && count > ulong.MaxValue / dimension) return null;
                count *= dimension;
            }
            return count;
        }
    }
}

/// <summary>
/// Reads a safetensors JSON header into entries, adding a sentence to a problem list for everything malformed
/// instead of stopping at the first, so <see cref="Safetensors"/> can report every problem at once.
/// </summary>
internal static class SafetensorsHeader
{
    /// <summary>
    /// Parses <paramref name="header"/>; returns null (after adding the reason to <paramref name="problems"/>) when it
    /// is not a JSON object at all, since then nothing else can be checked.
    /// </summary>
    public static List<SafetensorsEntry>? Parse(byte[] header, List<string> problems)
    {
        // The reference implementation insists on '{' first; JSON alone would also allow leading whitespace.
        if (header.Length == 0 || header[0] != (byte)'{')
        {
            string found = header.Length == 0 ? "it is empty" : $"it starts with byte 0x{header[0]:X2}";
            problems.Add($"the header is not a JSON object ({found}): not a safetensors file, or a corrupted one");
            return null;
        }

        // JsonDocument checks UTF-8 only lazily, when a name or string is read; check it all up front.
        if (!System.Text.Unicode.Utf8.IsValid(header))
        {
            problems.Add("the header is not valid UTF-8: not a safetensors file, or a corrupted one");
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header.AsMemory());
        }
        catch (JsonException exception)
        {
            problems.Add($"the header is not valid JSON ({exception.Message}): not a safetensors file, or a corrupted one");
            return null;
        }

        using (document)
        {
            var entries = new List<SafetensorsEntry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    problems.Add($"'{property.Name}' appears more than once in the header");
                    continue;
                }
                if (property.Name == Safetensors.MetadataKey)
                {
                    CheckMetadata(property.Value, problems);
                    continue;
                }
                entries.Add(ReadEntry(property.Name, property.Value, problems));
            }
            return entries;
        }
    }

    /// <summary>Metadata must map strings to strings (the reference implementation's <c>HashMap&lt;String, String&gt;</c>).</summary>
    private static void CheckMetadata(JsonElement metadata, List<string> problems)
    {
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"'{Safetensors.MetadataKey}' must be an object of strings but is {Describe(metadata)}");
            return;
        }
        foreach (JsonProperty item in metadata.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                problems.Add($"'{Safetensors.MetadataKey}' entry '{item.Name}' must be a string but is {Describe(item.Value)}");
            }
        }
    }

    /// <summary>Reads <c>{"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}</c>; extra fields are ignored, as the reference does.</summary>
    private static SafetensorsEntry ReadEntry(string name, JsonElement value, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"'{name}' should be a tensor entry {{\"dtype\", \"shape\", \"data_offsets\"}} but is {Describe(value)}");
            return new SafetensorsEntry(name, null, null, null);
        }

        string? dtype = null;
        if (!value.TryGetProperty("dtype", out JsonElement dtypeElement))
        {
            problems.Add($"'{name}' has no \"dtype\"");
        }
        else if (dtypeElement.ValueKind != JsonValueKind.String)
        {
            problems.Add($"'{name}' has a \"dtype\" that is {Describe(dtypeElement)}, not a string");
        }
        else
        {
            dtype = dtypeElement.GetString()!;
            if (Safetensors.ElementSize(dtype) is null)
            {
                problems.Add($"'{name}' has dtype '{dtype}', which safetensors does not define");
            }
        }

        ulong[]? shape = ReadIntegers(name, value, "shape", expectedCount: null, problems);
        ulong[]? offsets = ReadIntegers(name, value, "data_offsets", expectedCount: 2, problems);
        return new SafetensorsEntry(name, dtype, shape, offsets);
    }

    /// <summary>An array of non-negative integers (u64 in the reference implementation), optionally of a fixed length.</summary>
    private static ulong[]? ReadIntegers(string name, JsonElement entry, string field, int? expectedCount, List<string> problems)
    {
        if (!entry.TryGetProperty(field, out JsonElement array))
        {
            problems.Add($"'{name}' has no \"{field}\"");
            return null;
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"'{name}' has a \"{field}\" that is {Describe(array)}, not an array");
            return null;
        }
        int count = array.GetArrayLength();
        if (expectedCount is int expected && count != expected)
        {
            problems.Add($"'{name}' has {count} \"{field}\" values but needs {expected} ([begin, end])");
            return null;
        }
        var values = new ulong[count];
        int index = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetUInt64(out values[index]))
            {
                problems.Add($"'{name}' has \"{field}\" {array.GetRawText()}, which holds {item.GetRawText()}: not a non-negative integer");
                return null;
            }
            index++;
        }
        return values;
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {element.GetRawText()}",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {element.GetRawText()}",
        _ => "null",
    };
}
