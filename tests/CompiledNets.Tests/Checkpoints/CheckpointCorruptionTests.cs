using System;
using System.Buffers.Binary;
using System.IO;
using System.Security.Cryptography;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>
/// Damaged and mismatched checkpoints: each is rejected with an <see cref="InvalidDataException"/> naming the file and
/// the problem, and the network, optimizer and loader it was to be loaded into keep every bit they had.
/// </summary>
public sealed class CheckpointCorruptionTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly byte[] _valid;

    public CheckpointCorruptionTests()
    {
        // A run with momentum started and a shuffle state away from its seed, so every section holds real state.
        var run = new CheckpointRun("SeedNet", 200, 16, seed: 1);
        run.Train(2);
        string path = Path.Combine(_directory.Path, "valid.ckpt");
        Checkpoint.Save(path, run.Network, run.Optimizer, run.Loader, 2, run.Steps);
        _valid = File.ReadAllBytes(path);
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_valid_file_loads()
    {
        var target = new CheckpointRun("SeedNet", 200, 16, seed: 7);
        string path = _directory.Write("copy.ckpt", _valid);
        Assert.Equal((2, 2L * target.Loader.Count), Checkpoint.Load(path, target.Network, target.Optimizer, target.Loader));
    }

    [Fact]
    public void Truncated_files_are_rejected()
    {
        foreach (int length in new[] { 0, 1, 7, 8, 12, 19, 20, 51, 52, _valid.Length / 2, _valid.Length - 33, _valid.Length - 32, _valid.Length - 1 })
        {
            string message = ExpectRejected(_valid.AsSpan(0, length).ToArray(), $"truncated{length}.ckpt");
            Assert.Contains("truncated", message);
        }
    }

    [Fact]
    public void A_flipped_byte_anywhere_is_rejected()
    {
        // The magic, the version, the length, the network name, parameters, optimizer, loader order, counters, checksum.
        int[] positions = [0, 7, 8, 11, 12, 19, 20, 25, 100, _valid.Length / 2, _valid.Length - 500, _valid.Length - 40, _valid.Length - 33, _valid.Length - 1];
        foreach (int position in positions)
        {
            foreach (byte mask in new byte[] { 0x01, 0x80 })
            {
                byte[] damaged = (byte[])_valid.Clone();
                damaged[position] ^= mask;
                string message = ExpectRejected(damaged, $"flip{position}-{mask}.ckpt");
                string expected = position switch
                {
                    < 8 => "checkpoint magic",
                    // 3 with its low bit flipped is 2, a version still read: then the checksum catches it.
                    < 12 when BitConverter.ToUInt32(damaged, 8) == Checkpoint.OldestFormatVersion => "checksum does not match",
                    < 12 => "format version",
                    < 20 => "header says",
                    _ => "checksum does not match",
                };
                Assert.Contains(expected, message);
            }
        }
    }

    [Fact]
    public void Another_file_type_is_not_a_checkpoint()
    {
        byte[] safetensors = (byte[])_valid.Clone();
        "SAFETENS"u8.CopyTo(safetensors);
        Assert.Contains("does not start with the checkpoint magic \"CNETCKPT\" (found 5341464554454E53)", ExpectRejected(safetensors, "other.ckpt"));
        Assert.Contains("not a CompiledNets checkpoint", ExpectRejected("{}"u8.ToArray(), "json.ckpt"));
    }

    [Fact]
    public void Another_version_is_rejected()
    {
        byte[] newer = (byte[])_valid.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(newer.AsSpan(8), Checkpoint.FormatVersion + 1);
        Assert.Contains($"it has format version {Checkpoint.FormatVersion + 1} but this library reads versions {Checkpoint.OldestFormatVersion} to {Checkpoint.FormatVersion}", ExpectRejected(newer, "newer.ckpt"));
    }

    [Fact]
    public void Appended_bytes_are_rejected()
    {
        byte[] longer = new byte[_valid.Length + 3];
        _valid.CopyTo(longer, 0);
        Assert.Contains($"its header says {_valid.Length} bytes but it holds {_valid.Length + 3}", ExpectRejected(longer, "longer.ckpt"));
    }

    [Fact]
    public void A_checkpoint_of_another_network_shape_is_rejected()
    {
        var narrow = new NarrowSeedNet(seed: 0);
        var loader = new DataLoader(TestData.Normal(200 * 10, seed: 100), TestData.Labels(200, 2, seed: 101), 16, shuffle: true, seed: 1);
        string path = Path.Combine(_directory.Path, "narrow.ckpt");
        Checkpoint.Save(path, narrow, new Sgd(narrow, 0.05f, 0.9f, weightDecay: 1e-4f), loader, 1, 13);

        string message = ExpectRejected(File.ReadAllBytes(path), "narrow-copy.ckpt");
        Assert.Contains(
            "its parameters are laid out for NarrowSeedNet (0.weight [7, 10], 0.bias [7], 2.weight [2, 7], 2.bias [2]; 93 floats) " +
            "but SeedNet has (0.weight [20, 10], 0.bias [20], 2.weight [2, 20], 2.bias [2]; 262 floats)", message);
        Assert.Contains("(1 problem;", message);
    }

    [Fact]
    public void Other_optimizer_settings_or_loader_shape_are_rejected_together()
    {
        string path = _directory.Write("mismatch.ckpt", _valid);
        var net = new SeedNet(seed: 7);
        var sgd = new Sgd(net, lr: 0.01f, momentum: 0.9f, weightDecay: 1e-4f);
        var loader = new DataLoader(TestData.Normal(200 * 10, seed: 100), TestData.Labels(200, 2, seed: 101), batchSize: 20, shuffle: true, seed: 7);
        var before = new State(net, sgd, loader);

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, net, sgd, loader));
        Assert.Contains($"Cannot load the checkpoint {path} (2 problems; nothing was loaded):", error.Message);
        Assert.Contains("it was saved with Sgd(lr=0.05, momentum=0.9, dampening=0, weight_decay=0.0001, nesterov=False) but the optimizer is Sgd(lr=0.01,", error.Message);
        Assert.Contains(
            "it was saved from a loader of 200 samples of 10 features in batches of 16 (shuffle=True, drop_last=False) " +
            "but the loader has 200 samples of 10 features in batches of 20", error.Message);
        before.AssertUnchanged(net, sgd, loader);
    }

    [Fact]
    public void A_well_sealed_but_malformed_body_is_rejected()
    {
        // A repeated index in the saved order, sealed with a correct checksum: only the structure check can catch it.
        byte[] malformed = (byte[])_valid.Clone();
        int orderEnd = malformed.Length - Checkpoint.ChecksumSize - 4 - 8;
        BinaryPrimitives.WriteInt32LittleEndian(malformed.AsSpan(orderEnd - 4), BinaryPrimitives.ReadInt32LittleEndian(malformed.AsSpan(orderEnd - 8)));
        SHA256.HashData(malformed.AsSpan(0, malformed.Length - 32), malformed.AsSpan(malformed.Length - 32));
        Assert.Contains("it is malformed: the sample order is not a permutation of 0..199", ExpectRejected(malformed, "malformed.ckpt"));
    }

    [Fact]
    public void A_huge_file_that_is_not_a_checkpoint_is_refused_from_its_header_alone()
    {
        // A sparse 3 GB file: reading it whole would allocate 3 GB; the header check allocates almost nothing.
        var target = new CheckpointRun("SeedNet", 200, 16, seed: 7);
        foreach (bool withMagic in new[] { false, true })
        {
            string path = Path.Combine(_directory.Path, $"huge{withMagic}.ckpt");
            using (var file = new FileStream(path, FileMode.CreateNew))
            {
                if (withMagic)
                {
                    file.Write(_valid.AsSpan(0, Checkpoint.HeaderSize));
                }
                file.SetLength(3L << 30);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, target.Network, target.Optimizer, target.Loader));
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1 << 20, $"{GC.GetAllocatedBytesForCurrentThread() - allocated} bytes allocated");
            Assert.Contains(withMagic ? $"its header says {_valid.Length} bytes but it holds {3L << 30}" : "does not start with the checkpoint magic", error.Message);
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_file_throws_file_not_found()
    {
        var target = new CheckpointRun("SeedNet", 200, 16, seed: 7);
        Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(Path.Combine(_directory.Path, "none.ckpt"), target.Network, target.Optimizer, target.Loader));
    }

    /// <summary>Loads <paramref name="bytes"/> into fresh objects, expects the rejection, checks nothing changed; returns the message.</summary>
    private string ExpectRejected(byte[] bytes, string name)
    {
        string path = _directory.Write(name, bytes);
        var target = new CheckpointRun("SeedNet", 200, 16, seed: 7);
        target.Train(1);
        var before = new State(target.Network, target.Optimizer, target.Loader);

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, target.Network, target.Optimizer, target.Loader));
        Assert.StartsWith($"Cannot load the checkpoint {path} (", error.Message);
        Assert.Contains("nothing was loaded", error.Message);
        before.AssertUnchanged(target.Network, target.Optimizer, target.Loader);
        return error.Message;
    }

    private sealed class State(INetwork network, Sgd optimizer, DataLoader loader)
    {
        private readonly CheckpointRun.State _state = new(
            network.Parameters.ToArray(), optimizer.MomentumBuffer.ToArray(), optimizer.HasMomentumBuffer, loader.ShuffleRngState, loader.Order.ToArray());

        public void AssertUnchanged(INetwork network, Sgd optimizer, DataLoader loader) => _state.AssertBitwiseEqual(new(
            network.Parameters.ToArray(), optimizer.MomentumBuffer.ToArray(), optimizer.HasMomentumBuffer, loader.ShuffleRngState, loader.Order.ToArray()));
    }
}
