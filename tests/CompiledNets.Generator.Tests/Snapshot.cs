using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Xunit.Sdk;

namespace CompiledNets.Generator.Tests;

/// <summary>
/// Snapshot testing with Verify's file conventions (Verify itself is not a dependency):
/// the approved text lives in <c>Snapshots/{Class}.{Test}#{HintName}.verified.cs</c> next to the test
/// source and is committed; a mismatch writes <c>{...}.received.cs</c> beside it (ignored by git)
/// and fails with the first differing lines.
/// </summary>
/// <remarks>
/// <para>
/// To approve new or changed output, run the tests with the environment variable
/// <c>CN_ACCEPT_SNAPSHOTS=1</c> (<see cref="AcceptVariable"/>): every verified file is overwritten with what
/// the generator produces now and the check passes. Review the change with <c>git diff</c> before committing.
/// </para>
/// <para>
/// {Class} is the test file's name (one test class per file, named after it), {Test} the calling
/// method and {HintName} the generated file's hint name without its <c>.cs</c> extension, as
/// Verify.SourceGenerators names them: <c>SnapshotTests.SeedNet#MyApp.Net.g.verified.cs</c>.
/// Line endings are normalized to <c>\n</c> on both sides, so a checkout with CRLF still matches.
/// </para>
/// </remarks>
internal static class Snapshot
{
    /// <summary>Set to <c>1</c> to accept the current output as the new verified snapshots.</summary>
    public const string AcceptVariable = "CN_ACCEPT_SNAPSHOTS";

    private const int MaxReportedLines = 8;

    /// <summary>Checks every file of <paramref name="run"/> against its verified snapshot.</summary>
    public static void VerifyGeneratedSources(GeneratorRun run, [CallerFilePath] string callerFile = "", [CallerMemberName] string test = "")
    {
        if (run.GeneratedSources.IsEmpty)
        {
            throw new XunitException("The generator produced no source to snapshot.");
        }
        var failures = new List<string>();
        foreach (GeneratedSourceResult source in run.GeneratedSources)
        {
            if (Check(source.SourceText.ToString(), source.HintName, callerFile, test) is { } failure)
            {
                failures.Add(failure);
            }
        }
        if (failures.Count > 0)
        {
            throw new XunitException(string.Join("\n\n", failures));
        }
    }

    /// <summary>Checks one text against <c>Snapshots/{Class}.{Test}#{hintName}.verified.cs</c>.</summary>
    public static void Verify(string text, string hintName, [CallerFilePath] string callerFile = "", [CallerMemberName] string test = "")
    {
        if (Check(text, hintName, callerFile, test) is { } failure)
        {
            throw new XunitException(failure);
        }
    }

    /// <summary>Returns null when the snapshot matches (or was accepted), otherwise a readable report.</summary>
    private static string? Check(string text, string hintName, string callerFile, string test)
    {
        // [CallerFilePath] is the path at compile time, so snapshots are read from and written to the
        // source tree, not the bin folder, whatever directory the tests run in.
        string directory = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots");
        string name = $"{Path.GetFileNameWithoutExtension(callerFile)}.{test}#{StripCs(hintName)}";
        string verifiedPath = Path.Combine(directory, name + ".verified.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");

        string received = Normalize(text);
        string? verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;

        if (verified == received)
        {
            File.Delete(receivedPath);
            return null;
        }

        Directory.CreateDirectory(directory);
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(verifiedPath, received, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Delete(receivedPath);
            return null;
        }

        File.WriteAllText(receivedPath, received, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        string how = $"Compare the files, then set {AcceptVariable}=1 and rerun to accept the received output.";
        return verified is null
            ? $"No verified snapshot {verifiedPath}.\nWrote the output to {receivedPath}.\n{how}"
            : $"Snapshot mismatch for {verifiedPath}.\nWrote the output to {receivedPath}.\n{how}\n{Diff(verified, received)}";
    }

    /// <summary>The first lines that differ, numbered from 1, with the line counts.</summary>
    internal static string Diff(string verified, string received)
    {
        string[] expected = verified.Split('\n');
        string[] actual = received.Split('\n');
        var report = new StringBuilder();
        report.Append($"verified has {expected.Length} lines, received has {actual.Length}; first differences:\n");
        int reported = 0;
        for (int i = 0; i < Math.Max(expected.Length, actual.Length) && reported < MaxReportedLines; i++)
        {
            string? left = i < expected.Length ? expected[i] : null;
            string? right = i < actual.Length ? actual[i] : null;
            if (left == right)
            {
                continue;
            }
            report.Append($"  line {i + 1}:\n");
            report.Append($"    verified: {left ?? "<end of file>"}\n");
            report.Append($"    received: {right ?? "<end of file>"}\n");
            reported++;
        }
        return report.ToString();
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    private static string StripCs(string hintName) =>
        hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName.Substring(0, hintName.Length - 3) : hintName;
}
