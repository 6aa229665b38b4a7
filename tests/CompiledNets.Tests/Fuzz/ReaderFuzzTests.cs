using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests;

/// <summary>
/// A bounded, seeded fuzz of every file reader: valid files truncated at random points, with random bits flipped, and
/// with absurd sizes written into their headers. Each damaged file either loads (a flipped bit inside a number can
/// make another valid file) or is refused with an <see cref="InvalidDataException"/> naming the file; no other
/// exception, no allocation out of proportion to the file, and nothing loaded into the network on refusal. Only a
/// plain CSV can be truncated into another valid file.
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper log) : IDisposable
{
    private const int Cases = 150;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Csv(bool gzip)
    {
        string text = string.Concat(Enumerable.Range(0, 400).Select(i => $"{i % 13 * 0.25f},{-i},{(i * 7) % 5}\n"));
        string path = _directory.Write(gzip ? "valid.csv.gz" : "valid.csv", text, gzip);
        Fuzz(File.ReadAllBytes(path), seed: gzip ? 11 : 10, headerSizes: [], load: file => Datasets.ReadCsv(file), decompressedSize: text.Length, plainText: !gzip);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Idx(bool gzip)
    {
        byte[] pixels = Enumerable.Range(0, 30 * 6 * 5).Select(i => (byte)(i * 37)).ToArray();
        string labels = _directory.Write("labels.idx", IdxReaderTests.Idx([30], Enumerable.Range(0, 30).Select(i => (byte)(i % 10)).ToArray()));
        byte[] images = IdxReaderTests.Idx([30, 6, 5], pixels);
        string path = _directory.Write(gzip ? "images.idx.gz" : "images.idx", images, gzip);
        // The three sizes of the header (count, rows, columns), when the file is not compressed.
        int[] headerSizes = gzip ? [] : [4, 8, 12];
        Fuzz(File.ReadAllBytes(path), seed: gzip ? 21 : 20, headerSizes, load: file => Datasets.ReadIdx(file, labels), decompressedSize: images.Length);
    }

    [Fact]
    public void Safetensors_file()
    {
        var source = new LeakyNet(seed: 1);
        string path = Path.Combine(_directory.Path, "valid.safetensors");
        CompiledNets.Safetensors.Save(source, path);
        var target = new LeakyNet(seed: 2);
        float[] before = target.Parameters.ToArray();
        byte[] valid = File.ReadAllBytes(path);
        // The 8-byte header size at offset 0, read as a little-endian u64: its low 4 bytes take the absurd values.
        Fuzz(valid, seed: 30, headerSizes: [0], load: file =>
        {
            try
            {
                CompiledNets.Safetensors.Load(target, file);
            }
            catch (InvalidDataException)
            {
                Assert.Equal(before, target.Parameters.ToArray());
                throw;
            }
            before = target.Parameters.ToArray();
            return target;
        }, decompressedSize: valid.Length, littleEndian: true);
    }

    [Fact]
    public void Checkpoint_file()
    {
        var run = new CheckpointRun("SeedNet", 40, 8, seed: 1);
        run.Train(1);
        string path = Path.Combine(_directory.Path, "valid.ckpt");
        Checkpoint.Save(path, run.Network, run.Optimizer, run.Loader, 1, run.Steps);
        var target = new CheckpointRun("SeedNet", 40, 8, seed: 5);
        target.Train(1);
        // The target's whole state (parameters, momentum, loader order and generator), as a checkpoint's bytes.
        string statePath = Path.Combine(_directory.Path, "state.ckpt");
        byte[] State()
        {
            Checkpoint.Save(statePath, target.Network, target.Optimizer, target.Loader, 0, 0);
            return File.ReadAllBytes(statePath);
        }
        byte[] before = State();
        byte[] valid = File.ReadAllBytes(path);
        // The u64 total length at offset 12: its low 4 bytes take the absurd values. Half the damaged copies get a
        // fresh SHA-256, so the damage reaches the parser behind the checksum.
        Fuzz(valid, seed: 40, headerSizes: [12], load: file =>
        {
            try
            {
                Checkpoint.Load(file, target.Network, target.Optimizer, target.Loader);
            }
            catch (InvalidDataException)
            {
                Assert.Equal(before, State());
                throw;
            }
            before = State();
            return target;
        }, decompressedSize: valid.Length, littleEndian: true, reseal: bytes =>
        {
            if (bytes.Length >= 32)
            {
                System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
            }
            return bytes;
        });
    }

    /// <summary>
    /// Loads <see cref="Cases"/> truncations, <see cref="Cases"/> bit-flipped copies and, for each offset in
    /// <paramref name="headerSizes"/>, absurd 32-bit sizes written there; logs how many loaded and how many were refused.
    /// </summary>
    private void Fuzz(byte[] valid, int seed, int[] headerSizes, Func<string, object> load, int decompressedSize, bool littleEndian = false, bool plainText = false,
        Func<byte[], byte[]>? reseal = null)
    {
        var rng = new Rng(seed);
        var damaged = new List<(string What, byte[] Bytes)>();
        for (int i = 0; i < Cases; i++)
        {
            damaged.Add(("truncated", valid[..rng.NextInt32(valid.Length)]));
        }
        for (int i = 0; i < Cases; i++)
        {
            byte[] copy = (byte[])valid.Clone();
            int flips = 1 + rng.NextInt32(8);
            for (int f = 0; f < flips; f++) copy[rng.NextInt32(copy.Length)] ^= (byte)(1 << rng.NextInt32(8));
            bool resealed = reseal is not null && i % 2 == 1;
            damaged.Add((resealed ? $"{flips} bits flipped, checksum recomputed" : $"{flips} bits flipped", resealed ? reseal!(copy) : copy));
        }
        foreach (int offset in headerSizes)
        {
            foreach (uint size in new uint[] { 0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 2_147_483_591, 1_000_000_000, (uint)valid.Length * 2 })
            {
                byte[] copy = (byte[])valid.Clone();
                if (littleEndian) BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), size);
                else BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(offset), size);
                damaged.Add(($"size {size} at byte {offset}", reseal is null ? copy : reseal(copy)));
            }
        }

        int loaded = 0, refused = 0;
        string path = Path.Combine(_directory.Path, "damaged.bin");
        foreach (var (what, bytes) in damaged)
        {
            File.WriteAllBytes(path, bytes);
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            Exception? error = Record.Exception(() => load(path));
            long used = GC.GetAllocatedBytesForCurrentThread() - allocated;
            // Proportional to the data, whatever the damage claims: at most 64 bytes per (decompressed) byte, plus buffers.
            Assert.True(used < 64L * decompressedSize + (16 << 20), $"{what}: {used} bytes allocated for a file of {bytes.Length}");
            if (error is null)
            {
                // A plain CSV cut at a line break is a shorter valid CSV; every other format knows its length.
                Assert.False(what == "truncated" && !plainText, $"a truncated file of {bytes.Length} bytes (of {valid.Length}) loaded");
                loaded++;
                continue;
            }
            Assert.True(error is InvalidDataException, $"{what}: {error}");
            Assert.Contains(path, error.Message);
            refused++;
        }
        log.WriteLine($"{damaged.Count} damaged files: {loaded} loaded, {refused} refused with InvalidDataException");
        Assert.True(refused > damaged.Count / 2);
    }
}
