using System;
using System.IO;
using Xunit;
using Xunit.Sdk;

namespace CompiledNets.Generator.Tests;

/// <summary>
/// The snapshot helper itself, on a scratch directory: a missing or different snapshot fails with a
/// received file and a readable diff, a matching one passes and cleans up.
/// </summary>
/// <remarks>
/// Accept mode (<see cref="Snapshot.AcceptVariable"/>) is not tested here: it is a process-wide
/// environment variable, and setting it would make snapshot tests running in parallel accept their output.
/// </remarks>
public sealed class SnapshotHelperTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cn-snapshot-" + Guid.NewGuid().ToString("N"));

    // Stands in for [CallerFilePath]: snapshots go to {_directory}/Snapshots/Fake.Test#Net.g.*.cs.
    private string CallerFile => Path.Combine(_directory, "Fake.cs");

    private string Verified => Path.Combine(_directory, "Snapshots", "Fake.Test#Net.g.verified.cs");

    private string Received => Path.Combine(_directory, "Snapshots", "Fake.Test#Net.g.received.cs");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Missing_snapshot_fails_and_writes_the_received_file()
    {
        Directory.CreateDirectory(_directory);
        if (Environment.GetEnvironmentVariable(Snapshot.AcceptVariable) == "1")
        {
            return; // in accept mode a missing snapshot is accepted by design
        }

        var failure = Assert.Throws<XunitException>(() => Snapshot.Verify("line 1\n", "Net.g.cs", CallerFile, "Test"));

        Assert.Contains("No verified snapshot", failure.Message);
        Assert.Equal("line 1\n", File.ReadAllText(Received));
        Assert.False(File.Exists(Verified));
    }

    [Fact]
    public void Different_snapshot_fails_with_the_first_differing_lines()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Verified)!);
        File.WriteAllText(Verified, "same\nold\nsame\n");
        if (Environment.GetEnvironmentVariable(Snapshot.AcceptVariable) == "1")
        {
            return;
        }

        var failure = Assert.Throws<XunitException>(() => Snapshot.Verify("same\nnew\nsame\n", "Net.g.cs", CallerFile, "Test"));

        Assert.Contains("line 2:\n    verified: old\n    received: new\n", failure.Message);
        Assert.DoesNotContain("line 1:", failure.Message);
        Assert.Equal("same\nnew\nsame\n", File.ReadAllText(Received));
    }

    [Fact]
    public void Matching_snapshot_passes_whatever_the_line_endings_and_removes_a_stale_received_file()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Verified)!);
        File.WriteAllText(Verified, "a\r\nb\r\n");
        File.WriteAllText(Received, "stale");

        Snapshot.Verify("a\nb\n", "Net.g.cs", CallerFile, "Test");

        Assert.False(File.Exists(Received));
    }

    [Fact]
    public void Diff_reports_missing_lines_at_the_end()
    {
        string diff = Snapshot.Diff("a\nb\nc", "a\nb");

        Assert.Contains("verified has 3 lines, received has 2", diff);
        Assert.Contains("line 3:\n    verified: c\n    received: <end of file>\n", diff);
    }
}
