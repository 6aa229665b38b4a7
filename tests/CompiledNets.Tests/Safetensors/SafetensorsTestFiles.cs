using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>
/// Builds safetensors files byte by byte from a header written out as text, independently of
/// <see cref="Safetensors"/>, and reads the committed PyTorch fixtures.
/// </summary>
internal static class SafetensorsTestFiles
{
    public static string FixturePath(string fileName) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Safetensors", fileName);

    /// <summary>Size field, header padded with spaces to a multiple of 8 (unless a size is forced), data.</summary>
    public static byte[] Build(string headerJson, byte[] data, ulong? headerSize = null)
    {
        byte[] header = Encoding.UTF8.GetBytes(headerJson);
        int padding = (8 - header.Length % 8) % 8;
        header = [.. header, .. Enumerable.Repeat((byte)' ', padding)];
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, headerSize ?? (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    /// <summary><paramref name="count"/> distinct recognisable bytes.</summary>
    public static byte[] Data(int count) => Enumerable.Range(0, count).Select(i => (byte)(i * 7 + 3)).ToArray();

    /// <summary>A header entry as text.</summary>
    public static string Entry(string name, string dtype, int[] shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{end}]}}";

    /// <summary>The parameters as raw bits, so comparisons are exact (NaN payloads and -0 included).</summary>
    public static int[] Bits(INetwork network) => network.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>
    /// Loads <paramref name="file"/> into <paramref name="network"/>, expects the one exception, checks that every
    /// expected fragment is in its message and that no parameter changed; returns the message.
    /// </summary>
    public static string ExpectRejected(INetwork network, byte[] file, int problems, params string[] fragments)
    {
        int[] before = Bits(network);
        var exception = Assert.Throws<InvalidDataException>(() => Safetensors.Load(network, new MemoryStream(file)));
        string message = exception.Message;
        foreach (string fragment in fragments)
        {
            Assert.True(message.Contains(fragment, StringComparison.Ordinal), $"Expected \"{fragment}\" in:\n{message}");
        }
        string count = problems == 1 ? "(1 problem;" : $"({problems} problems;";
        Assert.True(message.Contains(count, StringComparison.Ordinal), $"Expected {count} in:\n{message}");
        Assert.Equal(problems, message.Split('\n').Count(line => line.TrimStart().StartsWith("- ", StringComparison.Ordinal)));
        Assert.Equal(before, Bits(network));
        return message;
    }

    /// <summary>The network's state_dict names in PyTorch's order: each module's parameters, then its buffers.</summary>
    public static string[] StateNames(INetwork network) => StateTensors.Of(network).Select(t => t.Name).ToArray();

    /// <summary>A fixture file written by <c>tests/fixtures/make_safetensors.py</c>.</summary>
    public sealed class TorchFixture
    {
        public string Network { get; init; } = "";
        public string TorchVersion { get; init; } = "";
        public string[] ParameterNames { get; init; } = [];
        public string[] StateNames { get; init; } = [];
        public float[] Parameters { get; init; } = [];
        public float[] Buffers { get; init; } = [];
        public long[] IntegerBuffers { get; init; } = [];
        public float[][] Inputs { get; init; } = [];
        public float[][] Outputs { get; init; } = [];
        public float[][] CsharpOutputs { get; init; } = [];
        public float[][] TorchOutputs { get; init; } = [];
    }

    public static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static TorchFixture ReadFixture(string fileName) =>
        JsonSerializer.Deserialize<TorchFixture>(File.ReadAllText(FixturePath(fileName)), JsonOptions)
        ?? throw new InvalidDataException($"{fileName} holds no fixture; regenerate it with tests/fixtures/make_safetensors.py.");
}
