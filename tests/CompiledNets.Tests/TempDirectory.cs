using System;
using System.IO;
using System.IO.Compression;

namespace CompiledNets.Tests;

/// <summary>A fresh directory for a test's files, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("compilednets-test-").FullName;

    public string Path { get; }

    /// <summary>Writes <paramref name="bytes"/> to a file named <paramref name="name"/>, gzip-compressed when asked; returns its path.</summary>
    public string Write(string name, byte[] bytes, bool gzip = false)
    {
        string path = System.IO.Path.Combine(Path, name);
        using var file = File.Create(path);
        if (gzip)
        {
            using var compressor = new GZipStream(file, CompressionLevel.Optimal);
            compressor.Write(bytes);
        }
        else
        {
            file.Write(bytes);
        }
        return path;
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8.</summary>
    public string Write(string name, string text, bool gzip = false) => Write(name, System.Text.Encoding.UTF8.GetBytes(text), gzip);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
