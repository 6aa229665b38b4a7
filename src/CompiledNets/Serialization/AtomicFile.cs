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
/// A temporary file is <c>.{name}.{32 hex digits}.tmp</c>; one still open by another save (which holds it exclusively)
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
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
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
        foreach (string candidate in Directory.EnumerateFiles(directory, prefix + "*.tmp"))
        {
            string middle = Path.GetFileName(candidate)[prefix.Length..^".tmp".Length];
            if (middle.Length != 32 || !IsHex(middle))
            {
                continue;
            }
            try
            {
                // A save in progress holds its file with FileShare.None, so this open fails and the file stays.
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
    }

    private static bool IsHex(string text)
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
