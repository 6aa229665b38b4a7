using System;
using System.IO;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>
/// Saving replaces the file in one rename: a successful save leaves no temporary file, and a save that fails (before
/// or while writing) leaves the previous checkpoint byte for byte as it was.
/// </summary>
public sealed class CheckpointAtomicWriteTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_save_leaves_only_the_checkpoint_and_a_second_save_replaces_it()
    {
        string path = Path.Combine(_directory.Path, "run.ckpt");
        var run = new CheckpointRun("SeedNet", 64, 16, seed: 1);
        run.Train(1);
        Checkpoint.Save(path, run.Network, run.Optimizer, run.Loader, 1, run.Steps);
        Assert.Equal([path], Directory.GetFiles(_directory.Path));

        run.Train(1);
        Checkpoint.Save(path, run.Network, run.Optimizer, run.Loader, 2, run.Steps);
        Assert.Equal([path], Directory.GetFiles(_directory.Path));

        var check = new CheckpointRun("SeedNet", 64, 16, seed: 2);
        Assert.Equal((2, run.Steps), Checkpoint.Load(path, check.Network, check.Optimizer, check.Loader));
        run.Capture().AssertBitwiseEqual(check.Capture());
    }

    [Fact]
    public void A_save_with_mismatched_arguments_fails_before_touching_the_file()
    {
        string path = Path.Combine(_directory.Path, "run.ckpt");
        var run = new CheckpointRun("SeedNet", 64, 16, seed: 1);
        Checkpoint.Save(path, run.Network, run.Optimizer, run.Loader, 0, 0);
        byte[] before = File.ReadAllBytes(path);
        run.Train(1);

        // A loader of another network's inputs, an optimizer of another network, negative counters.
        var wrongLoader = new DataLoader(new float[64 * 7], new int[64], 16, shuffle: true);
        Assert.Equal("loader", Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, run.Network, run.Optimizer, wrongLoader, 1, run.Steps)).ParamName);
        var otherNet = new SeedNet(seed: 3);
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, otherNet, run.Optimizer, run.Loader, 1, run.Steps));
        Assert.Equal("optimizer", error.ParamName);
        Assert.Equal("epoch", Assert.Throws<ArgumentOutOfRangeException>(() => Checkpoint.Save(path, run.Network, run.Optimizer, run.Loader, -1, 0)).ParamName);
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => Checkpoint.Save(path, run.Network, run.Optimizer, run.Loader, 0, -1)).ParamName);

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void A_save_onto_a_directory_is_refused_before_anything_is_written()
    {
        string target = Path.Combine(_directory.Path, "taken");
        Directory.CreateDirectory(target);
        string keep = Path.Combine(target, "inside.txt");
        File.WriteAllText(keep, "unchanged");
        var run = new CheckpointRun("SeedNet", 64, 16, seed: 1);

        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Save(target, run.Network, run.Optimizer, run.Loader, 0, 0));
        Assert.Equal("path", error.ParamName);
        Assert.Contains(target, error.Message);
        Assert.Empty(Directory.GetFiles(_directory.Path));
        Assert.Equal("unchanged", File.ReadAllText(keep));
    }

    [Fact]
    public void A_write_that_fails_removes_its_temporary_file_and_keeps_the_previous_file()
    {
        string path = Path.Combine(_directory.Path, "weights.bin");
        File.WriteAllText(path, "previous");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, "path", file =>
        {
            file.Write(new byte[1000]);
            throw new InvalidOperationException("the writer failed half way");
        }));
        Assert.Equal([path], Directory.GetFiles(_directory.Path));
        Assert.Equal("previous", File.ReadAllText(path));
    }

    [Fact]
    public void The_next_successful_save_removes_temporary_files_that_killed_saves_left()
    {
        string path = Path.Combine(_directory.Path, "run.ckpt");
        string stale = Path.Combine(_directory.Path, $".run.ckpt.{Guid.NewGuid():N}.tmp");
        string other = Path.Combine(_directory.Path, $".other.ckpt.{Guid.NewGuid():N}.tmp");
        string notOurs = Path.Combine(_directory.Path, ".run.ckpt.mine.tmp");
        foreach (string file in new[] { stale, other, notOurs })
        {
            File.WriteAllBytes(file, new byte[4096]);
        }
        var run = new CheckpointRun("SeedNet", 64, 16, seed: 1);

        // A save still writing holds its temporary file exclusively: it must survive the cleanup.
        string inProgress = Path.Combine(_directory.Path, $".run.ckpt.{Guid.NewGuid():N}.tmp");
        using (var held = new FileStream(inProgress, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            Checkpoint.Save(path, run.Network, run.Optimizer, run.Loader, 0, 0);
            Assert.True(File.Exists(inProgress));
        }

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(other));
        Assert.True(File.Exists(notOurs));
        Checkpoint.Load(path, run.Network, run.Optimizer, run.Loader);
    }

    [Fact]
    public void A_save_into_a_missing_directory_creates_nothing()
    {
        var run = new CheckpointRun("SeedNet", 64, 16, seed: 1);
        string path = Path.Combine(_directory.Path, "missing", "run.ckpt");
        var error = Assert.Throws<DirectoryNotFoundException>(() => Checkpoint.Save(path, run.Network, run.Optimizer, run.Loader, 0, 0));
        Assert.Contains(path, error.Message);
        Assert.DoesNotContain(".tmp", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_directory.Path));
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => Checkpoint.Save(_directory.Path + Path.DirectorySeparatorChar, run.Network, run.Optimizer, run.Loader, 0, 0)).ParamName);
    }
}
