using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests;

/// <summary>
/// A process killed while <see cref="Safetensors.Save(INetwork, string)"/> replaces a file leaves the previous file
/// whole (or the new one), never a mix or an empty file; the next successful save removes the temporary files the
/// killed saves left.
/// </summary>
public sealed class SafetensorsKillTests(ITestOutputHelper log) : IDisposable
{
    private const int Kills = 30;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_save_killed_at_any_moment_leaves_a_loadable_file_and_the_next_save_cleans_up()
    {
        string path = Path.Combine(_directory.Path, "weights.safetensors");
        float[][] versions = [new SaveLoopNet(seed: 1).Parameters.ToArray(), new SaveLoopNet(seed: 2).Parameters.ToArray()];
        var target = new SaveLoopNet(seed: 3);
        var rng = new Rng(5);
        int[] found = new int[versions.Length];
        int midSave = 0;

        for (int kill = 0; kill < Kills; kill++)
        {
            using Process child = StartSaveLoop(path);
            // Kill between 0 and 40 ms after the first save: saves take a few ms each, so most kills land mid-write.
            Thread.Sleep(rng.NextInt32(40));
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
            // A temporary file left behind means the kill landed inside a save.
            if (Directory.GetFiles(_directory.Path, ".weights.safetensors.*.tmp").Length > 0) midSave++;

            Safetensors.Load(target, path);
            float[] loaded = target.Parameters.ToArray();
            int which = Array.FindIndex(versions, v => v.AsSpan().SequenceEqual(loaded));
            Assert.True(which >= 0, $"kill {kill}: the file holds neither saved network");
            found[which]++;
        }
        log.WriteLine($"{Kills} kills, {midSave} inside a save: the file then held the first network {found[0]} times " +
            $"and the second {found[1]} times, never anything else");
        // Saves take most of the child's time, so kills land inside them: the test exercises what it claims to.
        Assert.True(midSave > 0, "no kill landed inside a save");

        Safetensors.Save(target, path);
        Assert.Equal([path], Directory.GetFiles(_directory.Path));
        Safetensors.Load(new SaveLoopNet(seed: 4), path);
    }

    /// <summary>Starts the helper that saves over <paramref name="path"/> in a loop, and waits for its first save.</summary>
    private static Process StartSaveLoop(string path)
    {
        string helper = Path.Combine(AppContext.BaseDirectory, "CompiledNets.SaveLoop.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(helper);
        start.ArgumentList.Add(path);
        var child = Process.Start(start)!;
        string? first = child.StandardOutput.ReadLine();
        Assert.Equal("saved", first);
        return child;
    }
}
