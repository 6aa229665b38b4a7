using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using Xunit;
using static CompiledNets.Tests.SafetensorsTestFiles;

namespace CompiledNets.Tests;

/// <summary>
/// Files that do not fit the network: each is rejected with one exception listing every problem, and the network
/// keeps the parameters it had (<see cref="SafetensorsTestFiles.ExpectRejected"/> checks both). SeedNet expects
/// 0.weight F32 [20, 10], 0.bias [20], 2.weight [2, 20], 2.bias [2]: 1048 bytes.
/// </summary>
public sealed class SafetensorsMismatchTests
{
    private static readonly string ValidHeader = "{" + string.Join(",",
        Entry("0.weight", "F32", [20, 10], 0, 800),
        Entry("0.bias", "F32", [20], 800, 880),
        Entry("2.weight", "F32", [2, 20], 880, 1040),
        Entry("2.bias", "F32", [2], 1040, 1048)) + "}";

    [Fact]
    public void Valid_control_loads()
    {
        var net = new SeedNet(seed: 0);
        Safetensors.Load(net, new MemoryStream(Build(ValidHeader, Data(1048))));
        Assert.True(Data(1048).AsSpan().SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(net.Parameters)));
    }

    [Fact]
    public void Missing_extra_shape_and_dtypes_all_listed_at_once()
    {
        // 0.weight transposed, 0.bias F64, 2.weight F16, 2.bias absent, 3.weight extra; the layout itself is sound.
        string header = "{" + string.Join(",",
            Entry("0.weight", "F32", [10, 20], 0, 800),
            Entry("0.bias", "F64", [20], 800, 960),
            Entry("2.weight", "F16", [2, 20], 960, 1040),
            Entry("3.weight", "F32", [2, 2], 1040, 1056)) + "}";

        string message = ExpectRejected(new SeedNet(seed: 0), Build(header, Data(1056)), problems: 5,
            "'0.weight' has shape [10, 20] but [20, 10] is expected",
            "'0.bias' has dtype F64 but F32 is expected",
            "'2.weight' has dtype F16 but F32 is expected",
            "missing tensor '2.bias' (F32 [2])",
            "unexpected tensor '3.weight' (F32 [2, 2]): SeedNet has no such parameter");
        Assert.StartsWith("Cannot load a MemoryStream into SeedNet (5 problems; nothing was loaded):", message);
    }

    [Fact]
    public void Empty_header_lists_every_missing_tensor()
    {
        ExpectRejected(new SeedNet(seed: 0), Build("{}", []), problems: 4,
            "missing tensor '0.weight' (F32 [20, 10])", "missing tensor '0.bias' (F32 [20])",
            "missing tensor '2.weight' (F32 [2, 20])", "missing tensor '2.bias' (F32 [2])");
    }

    [Fact]
    public void Truncated_data_is_reported_with_the_other_problems()
    {
        string header = ValidHeader.Replace("\"shape\":[2],", "\"shape\":[3],");
        ExpectRejected(new SeedNet(seed: 0), Build(header, Data(1000)), problems: 3,
            "'2.bias' has shape [3] but [2] is expected",
            "'2.bias' has data_offsets [1040, 1048] (8 bytes) but F32 [3] needs 12 bytes",
            "the data is truncated: the header places tensors up to byte 1048 of the data section but only 1000 bytes follow the header");
    }

    [Fact]
    public void Truncated_data_non_seekable_stream_is_reported()
    {
        var net = new SeedNet(seed: 0);
        int[] before = Bits(net);
        var stream = new ForwardOnlyStream(Build(ValidHeader, Data(1047)));
        var exception = Assert.Throws<InvalidDataException>(() => Safetensors.Load(net, stream));
        Assert.Contains("only 1047 bytes follow the header", exception.Message);
        Assert.Equal(before, Bits(net));
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        ExpectRejected(new SeedNet(seed: 0), Build(ValidHeader, Data(1060)), problems: 1,
            "12 bytes follow the last tensor (which ends at byte 1048 of the data section)");
    }

    [Fact]
    public void Trailing_bytes_non_seekable_stream_are_rejected()
    {
        var net = new SeedNet(seed: 0);
        var exception = Assert.Throws<InvalidDataException>(() => Safetensors.Load(net, new ForwardOnlyStream(Build(ValidHeader, Data(9000)))));
        Assert.Contains("bytes follow the last tensor", exception.Message);
    }

    [Fact]
    public void Bad_offsets_overlap_gap_reversed_and_wrong_size_all_listed()
    {
        string header = "{" + string.Join(",",
            Entry("0.weight", "F32", [20, 10], 0, 800),
            Entry("0.bias", "F32", [20], 780, 860),      // overlaps 0.weight
            Entry("2.weight", "F32", [2, 20], 900, 1056), // 40-byte gap before it, and 156 bytes for 160
            Entry("2.bias", "F32", [2], 1064, 1056)) + "}"; // end before begin
        ExpectRejected(new SeedNet(seed: 0), Build(header, Data(1056)), problems: 4,
            "'0.bias' [780, 860) overlaps '0.weight' [0, 800)",
            "bytes [860, 900) of the data belong to no tensor (after '0.bias', before '2.weight')",
            "'2.weight' has data_offsets [900, 1056] (156 bytes) but F32 [2, 20] needs 160 bytes",
            "'2.bias' has data_offsets [1064, 1056]: the end comes before the begin");
    }

    [Fact]
    public void Malformed_entries_all_listed()
    {
        string header = "{" + string.Join(",",
            "\"__metadata__\":{\"format\":3}",
            "\"0.weight\":{\"shape\":[20,10],\"data_offsets\":[0,800]}",
            "\"0.bias\":{\"dtype\":\"F33\",\"shape\":[20],\"data_offsets\":[800,880]}",
            "\"2.weight\":{\"dtype\":\"F32\",\"shape\":\"2x20\",\"data_offsets\":[880,-1]}",
            "\"2.bias\":[1040,1048]",
            Entry("2.bias", "F32", [2], 1040, 1048)) + "}";
        ExpectRejected(new SeedNet(seed: 0), Build(header, Data(1048)), problems: 7,
            "'__metadata__' entry 'format' must be a string but is the number 3",
            "'0.weight' has no \"dtype\"",
            "'0.bias' has dtype 'F33', which safetensors does not define",
            "'2.weight' has a \"shape\" that is the string \"2x20\", not an array",
            "'2.weight' has \"data_offsets\" [880,-1], which holds -1: not a non-negative integer",
            "'2.bias' should be a tensor entry {\"dtype\", \"shape\", \"data_offsets\"} but is an array",
            "'2.bias' appears more than once in the header");
    }

    public static TheoryData<string, byte[], string> Garbage()
    {
        byte[] sizeOnly(ulong size)
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, size);
            return bytes;
        }
        return new()
        {
            { "empty", [], "it holds 0 bytes, fewer than the 8 of the header size" },
            { "short", [1, 2, 3], "it holds 3 bytes, fewer than the 8 of the header size" },
            { "huge size", [.. sizeOnly(1UL << 40), .. new byte[64]], "the header size field says 1099511627776 bytes, more than the 100000000 allowed" },
            { "size past end", [.. sizeOnly(64), .. "{}"u8], "the header size field says 64 bytes but only 2 follow it" },
            { "not json", Build("{\"0.weight\": nope}", []), "the header is not valid JSON" },
            { "json array", Build("[1, 2]", []), "the header is not a JSON object (it starts with byte 0x5B)" },
            { "leading space", Build(" {}", []), "the header is not a JSON object (it starts with byte 0x20)" },
            { "zero size", sizeOnly(0), "the header is not a JSON object (it is empty)" },
            { "invalid utf-8", [.. sizeOnly(8), .. "{\""u8, 0xC3, 0x28, .. "\":1}"u8], "the header is not valid UTF-8" },
            { "zip file", [.. "PK\u0003\u0004"u8, .. new byte[60]], "the header size field says" },
        };
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_header_is_rejected_with_the_reason(string what, byte[] file, string fragment)
    {
        string message = ExpectRejected(new SeedNet(seed: 0), file, problems: 1, fragment);
        Assert.False(string.IsNullOrEmpty(what));
        Assert.Contains("nothing was loaded", message);
    }

    [Fact]
    public void Load_from_path_names_the_file()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("wrong.safetensors", Build("{}", []));
        var net = new SeedNet(seed: 0);
        var exception = Assert.Throws<InvalidDataException>(() => Safetensors.Load(net, path));
        Assert.StartsWith($"Cannot load {path} into SeedNet (4 problems; nothing was loaded):", exception.Message);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var net = new SeedNet(seed: 0);
        Assert.Throws<ArgumentNullException>(() => Safetensors.Save(null!, new MemoryStream()));
        Assert.Throws<ArgumentNullException>(() => Safetensors.Save(net, (Stream)null!));
        Assert.Throws<ArgumentNullException>(() => Safetensors.Load(net, (Stream)null!));
        Assert.Throws<ArgumentException>(() => Safetensors.Load(net, ""));
        Assert.Throws<ArgumentException>(() => Safetensors.Save(net, new MemoryStream([], writable: false)));
        Assert.Throws<FileNotFoundException>(() => Safetensors.Load(net, Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".safetensors")));
    }

    /// <summary>A stream that can only be read forwards, like a network or a pipe.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 100));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
