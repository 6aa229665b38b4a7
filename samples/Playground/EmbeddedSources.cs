using System;
using System.IO;

namespace Playground;

/// <summary>The generated sources this app embeds at build time (see the project file), by network class.</summary>
public static class EmbeddedSources
{
    public static GeneratedSource Load(Type network)
    {
        string fileName = GeneratedSource.FileNameOf(network);
        using Stream stream = typeof(EmbeddedSources).Assembly.GetManifestResourceStream("generated/" + fileName)
            ?? throw new InvalidOperationException($"The generated source {fileName} was not embedded: build Playground.Core, then this app.");
        using var reader = new StreamReader(stream);
        return GeneratedSource.Parse(fileName, reader.ReadToEnd());
    }
}
