using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CompiledNets;

/// <summary>
/// Everything a checkpoint file holds, read and structurally checked but not yet compared with the network,
/// optimizer and loader it is to be loaded into.
/// </summary>
internal sealed class CheckpointContents
{
    public required string NetworkType { get; init; }
    public required IReadOnlyList<ParameterTensor> Layout { get; init; }
    public required float[] Parameters { get; init; }

    public required StateDict Optimizer { get; init; }

    /// <summary>The named state dicts of the schedules and the trainer (none in a version 2 file).</summary>
    public required IReadOnlyDictionary<string, StateDict> Sections { get; init; }

    public required LoaderShape Loader { get; init; }
    public required ulong ShuffleRngState { get; init; }
    public required int[] Order { get; init; }

    public required int Epoch { get; init; }
    public required long Step { get; init; }

    /// <summary>A parameter layout as one line: <c>0.weight [20, 10], 0.bias [20], ...; 262 floats</c>.</summary>
    public static string Describe(IReadOnlyList<ParameterTensor> layout, int parameterCount) =>
        string.Join(", ", layout.Select(tensor => $"{tensor.Name} [{string.Join(", ", tensor.Shape)}]")) + $"; {parameterCount} floats";

    /// <summary>Whether two layouts name, place and shape every tensor alike.</summary>
    public static bool SameLayout(IReadOnlyList<ParameterTensor> a, IReadOnlyList<ParameterTensor> b) =>
        a.Count == b.Count && a.Zip(b).All(pair =>
            pair.First.Name == pair.Second.Name && pair.First.Offset == pair.Second.Offset && pair.First.Shape.SequenceEqual(pair.Second.Shape));
}

/// <summary>What a loader must have in common with the one that was saved for its shuffle state to mean the same.</summary>
internal readonly record struct LoaderShape(int SampleCount, int Features, int BatchSize, bool Shuffle, bool DropLast)
{
    public static LoaderShape Of(DataLoader loader) =>
        new(loader.SampleCount, loader.Features, loader.BatchSize, loader.Shuffle, loader.DropLast);

    public override string ToString() =>
        $"{SampleCount} samples of {Features} features in batches of {BatchSize} (shuffle={Shuffle}, drop_last={DropLast})";
}
