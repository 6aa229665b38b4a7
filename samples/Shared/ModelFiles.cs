using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using CompiledNets;

namespace CompiledNets.Samples;

/// <summary>
/// A trained model as files: the network's parameters as <c>{name}.safetensors</c> (loadable by PyTorch too) and the
/// standardization its inputs need as <c>{name}.standardizer.json</c> (<c>{"mean": […], "std": […]}</c>).
/// </summary>
public static class ModelFiles
{
    public static string WeightsPath(string directory, string name) => Path.Combine(directory, name + ".safetensors");

    public static string StandardizerPath(string directory, string name) => Path.Combine(directory, name + ".standardizer.json");

    /// <summary>Writes both files (each replaced atomically).</summary>
    public static void Save(string directory, string name, INetwork network, Standardizer standardizer)
    {
        Directory.CreateDirectory(directory);
        Safetensors.Save(network, WeightsPath(directory, name));
        var statistics = new StandardizerStatistics(standardizer.Mean.ToArray(), standardizer.Std.ToArray());
        string temporary = StandardizerPath(directory, name) + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(statistics, ModelFilesJson.Default.StandardizerStatistics));
        File.Move(temporary, StandardizerPath(directory, name), overwrite: true);
    }

    /// <summary>
    /// Loads both files into <paramref name="network"/> and returns the standardizer, or returns null when either file
    /// is missing; a file that exists but does not fit throws, naming it.
    /// </summary>
    public static Standardizer? TryLoad(string directory, string name, INetwork network)
    {
        string weights = WeightsPath(directory, name), statisticsPath = StandardizerPath(directory, name);
        if (!File.Exists(weights) || !File.Exists(statisticsPath))
        {
            return null;
        }
        StandardizerStatistics statistics = JsonSerializer.Deserialize(File.ReadAllText(statisticsPath), ModelFilesJson.Default.StandardizerStatistics)
            ?? throw new InvalidDataException($"'{statisticsPath}' holds null instead of the standardizer's statistics.");
        if (statistics.Mean.Length != network.InputSize)
        {
            throw new InvalidDataException($"'{statisticsPath}' standardizes {statistics.Mean.Length} features but the network takes {network.InputSize}.");
        }
        Standardizer standardizer = Standardizer.FromStatistics(statistics.Mean, statistics.Std);
        Safetensors.Load(network, weights);
        return standardizer;
    }
}

/// <summary>The JSON form of a <see cref="Standardizer"/>.</summary>
public sealed record StandardizerStatistics(
    [property: JsonPropertyName("mean"), JsonRequired] float[] Mean,
    [property: JsonPropertyName("std"), JsonRequired] float[] Std);

/// <summary>Source-generated JSON, so the files work in native AOT builds.</summary>
[JsonSerializable(typeof(StandardizerStatistics))]
internal sealed partial class ModelFilesJson : JsonSerializerContext;
