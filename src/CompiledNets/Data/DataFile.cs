using System;
using System.IO;

namespace CompiledNets;

/// <summary>Opens a data file for the readers, decompressing and checking it when it is gzip.</summary>
internal static class DataFile
{
    /// <summary>Throws unless <paramref name="path"/> names an existing file (a directory is named as one).</summary>
    public static void CheckExists(string path, string parameterName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path, parameterName);
        if (Directory.Exists(path))
        {
            throw new ArgumentException($"Expected a data file but '{path}' is a directory.", parameterName);
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Expected a data file at '{path}' but there is no such file.", path);
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/>; when its first two bytes are the gzip magic number <c>1f 8b</c> (RFC 1952) the
    /// returned stream decompresses, whatever the file is named, and checks the file's CRC-32 and length at its end
    /// (<see cref="GzipChecked"/>). Its errors are <see cref="InvalidDataException"/>s that the reader locates.
    /// </summary>
    public static Stream Open(string path, string parameterName, out bool isGzip)
    {
        CheckExists(path, parameterName);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            isGzip = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            return isGzip ? new GzipChecked(file) : file;
        }
        catch (InvalidDataException e)
        {
            file.Dispose();
            throw new InvalidDataException($"'{path}': {e.Message}.", e);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
