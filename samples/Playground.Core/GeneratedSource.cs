using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Playground;

/// <summary>
/// The code the generator wrote for a network, as this project's build emitted it (obj/generated, which the browser app
/// embeds), cut into sections the page can show and jump to: the file's head, the architecture table and the API, one section
/// per layer (its forward above its backward), and the rest (threads, kernels).
/// </summary>
public sealed partial class GeneratedSource
{
    /// <summary>The generated file of a network class: <c>Playground.DigitsMlp.g.cs</c> (what the browser app embeds it as, under <c>generated/</c>).</summary>
    public static string FileNameOf(Type network) => $"{network.FullName}.g.cs";

    private GeneratedSource(string fileName, IReadOnlyList<Section> sections)
    {
        FileName = fileName;
        Sections = sections;
    }

    /// <summary>The generated file's name, e.g. <c>Playground.DigitsMlp.g.cs</c>.</summary>
    public string FileName { get; }

    public IReadOnlyList<Section> Sections { get; }

    /// <summary>A run of lines: its element id on the page (<c>table</c>, <c>layer-3</c>, ...), a title and the text.</summary>
    public sealed record Section(string Id, string Title, string Text, int FirstLine);

    /// <summary>Cuts the text at the architecture table and at each banner line (<c>// ---- Layer 2: ReLU ----</c>).</summary>
    public static GeneratedSource Parse(string fileName, string text)
    {
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        var sections = new List<Section>();
        int start = 0;
        string id = "head", title = "File";
        void Close(int end)
        {
            if (end > start)
            {
                sections.Add(new Section(id, title, string.Join("\n", lines[start..end]), start + 1));
            }
            start = end;
        }
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (id == "head" && line == "/// <code>")
            {
                // The table opens the class's remarks: start its section at the remarks' first line.
                int remarks = i;
                while (remarks > start && !lines[remarks - 1].Trim().StartsWith("/// <remarks>", StringComparison.Ordinal)) remarks--;
                Close(Math.Max(start, remarks - 1));
                (id, title) = ("table", "Architecture");
                continue;
            }
            Match banner = Banner().Match(line);
            if (banner.Success)
            {
                Close(i);
                (id, title) = banner.Groups[1].Success
                    ? ($"layer-{banner.Groups[1].Value}", $"Layer {banner.Groups[1].Value}: {banner.Groups[2].Value}")
                    : (banner.Groups[3].Value.ToLowerInvariant(), banner.Groups[3].Value);
            }
            else if (line.StartsWith("internal static class Kernels<V>", StringComparison.Ordinal))
            {
                // The kernels' summary comment above belongs to them.
                int open = i;
                while (open > start && lines[open - 1].Trim().StartsWith("///", StringComparison.Ordinal) || open > start && lines[open - 1].Trim().StartsWith("[", StringComparison.Ordinal)) open--;
                Close(open);
                (id, title) = ("kernels", "Kernels");
            }
        }
        Close(lines.Length);
        return new GeneratedSource(fileName, sections);
    }

    // "// ---- Layer 3: Linear(64, 32) -----" or "// ---- Threads -----".
    [GeneratedRegex(@"^// ---- (?:Layer (\d+): (.+?)|(\w+)) -+$")]
    private static partial Regex Banner();
}
