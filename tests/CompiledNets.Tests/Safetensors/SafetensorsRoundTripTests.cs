using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>What Save writes: bit-exact round trips, and a header checked against the format by hand.</summary>
public sealed class SafetensorsRoundTripTests
{
    public static TheoryData<string> Networks => [nameof(SeedNet), nameof(TanhSigmoidNet), nameof(LeakyNet), nameof(MnistNet), nameof(EndsWithSigmoidNet)];

    private static INetwork Create(string name, int seed) => name switch
    {
        nameof(SeedNet) => new SeedNet(seed),
        nameof(TanhSigmoidNet) => new TanhSigmoidNet(seed),
        nameof(LeakyNet) => new LeakyNet(seed),
        nameof(MnistNet) => new MnistNet(seed),
        nameof(EndsWithSigmoidNet) => new EndsWithSigmoidNet(seed),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Save_then_load_stream_is_bit_exact(string name)
    {
        INetwork source = Create(name, seed: 1), target = Create(name, seed: 2);
        // Values a text format would mangle: -0, a subnormal, the extremes, infinities and a NaN with a payload.
        Span<float> p = source.Parameters;
        p[0] = -0f; p[1] = float.Epsilon; p[2] = float.MaxValue; p[3] = float.MinValue;
        p[4] = float.PositiveInfinity; p[5] = float.NegativeInfinity; p[6] = BitConverter.Int32BitsToSingle(0x7FC0_1234);
        Assert.NotEqual(SafetensorsTestFiles.Bits(source), SafetensorsTestFiles.Bits(target));

        var stream = new MemoryStream();
        Safetensors.Save(source, stream);
        stream.Position = 0;
        Safetensors.Load(target, stream);

        Assert.Equal(SafetensorsTestFiles.Bits(source), SafetensorsTestFiles.Bits(target));
    }

    [Fact]
    public void Save_then_load_path_is_bit_exact_and_overwrites()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "seed.safetensors");
        File.WriteAllBytes(path, new byte[5000]); // a longer old file must not leave trailing bytes
        INetwork source = new SeedNet(seed: 1), target = new SeedNet(seed: 2);

        Safetensors.Save(source, path);
        Safetensors.Load(target, path);

        Assert.Equal(SafetensorsTestFiles.Bits(source), SafetensorsTestFiles.Bits(target));
    }

    [Fact]
    public void Save_SeedNet_writes_exactly_the_expected_header()
    {
        var net = new SeedNet(seed: 3);
        var stream = new MemoryStream();
        Safetensors.Save(net, stream);
        byte[] file = stream.ToArray();

        const string Json = "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[20,10],\"data_offsets\":[0,800]},"
            + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[20],\"data_offsets\":[800,880]},"
            + "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[2,20],\"data_offsets\":[880,1040]},"
            + "\"2.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[1040,1048]}}";
        int padded = (Json.Length + 7) / 8 * 8;
        Assert.Equal((ulong)padded, BinaryPrimitives.ReadUInt64LittleEndian(file));
        Assert.Equal(Json + new string(' ', padded - Json.Length), Encoding.UTF8.GetString(file, 8, padded));
        Assert.Equal(8 + padded + 1048, file.Length);
        Assert.True(file.AsSpan(8 + padded).SequenceEqual(MemoryMarshal.AsBytes(net.Parameters)));
    }

    /// <summary>
    /// A strict reading of the format written here without the library: every rule the reference implementation
    /// enforces, plus ours (F32 only, state_dict names and order, data = the flat parameter buffer).
    /// </summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void Save_passes_a_strict_independent_check(string name)
    {
        INetwork net = Create(name, seed: 4);
        var stream = new MemoryStream();
        Safetensors.Save(net, stream);
        byte[] file = stream.ToArray();

        ulong headerSize = BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0UL, headerSize % 8);
        Assert.True(8 + headerSize <= (ulong)file.Length);
        string text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file, 8, (int)headerSize);
        Assert.StartsWith("{", text);
        string json = text.TrimEnd(' ');
        Assert.True(text.Length - json.Length < 8, "padding is shorter than 8 spaces");
        Assert.EndsWith("}", json);

        using var document = JsonDocument.Parse(json);
        var names = new List<string>();
        ulong cursor = 0;
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                Assert.All(property.Value.EnumerateObject(), item => Assert.Equal(JsonValueKind.String, item.Value.ValueKind));
                continue;
            }
            names.Add(property.Name);
            Assert.Equal(["dtype", "shape", "data_offsets"], property.Value.EnumerateObject().Select(p => p.Name));
            Assert.Equal("F32", property.Value.GetProperty("dtype").GetString());
            ulong[] shape = property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetUInt64()).ToArray();
            ulong[] offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetUInt64()).ToArray();
            Assert.Equal(2, offsets.Length);
            Assert.Equal(cursor, offsets[0]); // contiguous: no gap, no overlap
            Assert.Equal(shape.Aggregate(4UL, (a, b) => a * b), offsets[1] - offsets[0]);

            ParameterTensor tensor = net.NamedParameters[names.Count - 1];
            Assert.Equal(tensor.Name, property.Name);
            Assert.Equal(tensor.Shape.Select(d => (ulong)d), shape);
            int dataStart = 8 + (int)headerSize;
            Assert.True(file.AsSpan(dataStart + (int)offsets[0], (int)(offsets[1] - offsets[0]))
                .SequenceEqual(MemoryMarshal.AsBytes(tensor.Slice(net.Parameters))));
            cursor = offsets[1];
        }
        Assert.Equal(net.NamedParameters.Select(p => p.Name), names);
        Assert.Equal((ulong)file.Length - 8 - headerSize, cursor);
    }

    [Fact]
    public void Load_tensors_in_any_order_and_extra_metadata_loads()
    {
        var net = new SeedNet(seed: 5);
        byte[] data = SafetensorsTestFiles.Data(1048);
        // Reverse order in both the header and the data, plus metadata of several entries.
        string header = "{" + string.Join(",",
            "\"__metadata__\":{\"format\":\"pt\",\"note\":\"reordered\"}",
            SafetensorsTestFiles.Entry("2.bias", "F32", [2], 0, 8),
            SafetensorsTestFiles.Entry("2.weight", "F32", [2, 20], 8, 168),
            SafetensorsTestFiles.Entry("0.bias", "F32", [20], 168, 248),
            SafetensorsTestFiles.Entry("0.weight", "F32", [20, 10], 248, 1048)) + "}";

        Safetensors.Load(net, new MemoryStream(SafetensorsTestFiles.Build(header, data)));

        byte[] expected = [.. data[248..1048], .. data[168..248], .. data[8..168], .. data[0..8]];
        Assert.True(MemoryMarshal.AsBytes(net.Parameters).SequenceEqual(expected));
    }
}
