using System;
using System.IO;

namespace CompiledNets;

/// <summary>
/// Writes a file so that a crash leaves either the previous file or the new one, never a mix: the contents go to a
/// temporary file next to the target (so the rename stays on one file system), which is flushed to the disk and then
/// renamed over the target. Temporary files that earlier interrupted saves of the same target left behind are removed
/// after the next successful save.
/// </summary>
/// <remarks>
/// The rename itself is made durable by the file system's journal; .NET offers no way to flush the directory.
/// A temporary file is <c>.{name}.{32 hex digits}.tmp</c>; one still open by another save (which holds it open until its rename)
/// is left alone.
/// </remarks>
internal static class AtomicFile
{
    public static void Write(string path, string parameterName, Action<Stream> write)
    {
        string target = Path.GetFullPath(path);
        string name = Path.GetFileName(target);
        if (name.Length == 0 || Directory.Exists(target))
        {
            throw new ArgumentException($"Expected a file path but '{path}' names a directory.", parameterName);
        }
        string directory = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Cannot write '{path}': its directory '{directory}' does not exist.");
        }

        string temporary = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            // Held open (shared for deletion only, so the rename may go through) until it has been renamed: another save's
            // clean-up, which asks for the file alone, cannot take it between the flush and the rename.
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.Delete))
            {
                write(file);
                file.Flush(flushToDisk: true);
                File.Move(temporary, target, overwrite: true);
            }
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
        RemoveStale(directory, name);
    }

    /// <summary>Deletes the temporary files of <paramref name="name"/> that no save holds open any more.</summary>
    private static void RemoveStale(string directory, string name)
    {
        string prefix = "." + name + ".";
        try
        {
            // The name is matched by ordinal comparison, not as part of the pattern, where '*' or '?' in it would be wildcards.
            foreach (string candidate in Directory.EnumerateFiles(directory, "*.tmp"))
            {
                string file = Path.GetFileName(candidate);
                if (file.Length == prefix.Length + 32 + ".tmp".Length && file.StartsWith(prefix, StringComparison.Ordinal) &&
                    IsHex(file.AsSpan(prefix.Length, 32)))
                {
                    TryRemove(candidate);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The save itself succeeded; a directory that cannot be listed keeps its leftovers.
        }
    }

    private static void TryRemove(string candidate)
    {
        try
        {
            // A save in progress holds its file open, so this exclusive open fails and the file stays.
            using (new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
            }
            File.Delete(candidate);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // In use, or not ours to delete: leave it.
        }
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }
        return true;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The original exception matters more than a leftover temporary file.
        }
    }
}
