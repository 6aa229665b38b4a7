using System.Collections.Generic;
using System.Linq;

namespace CompiledNets.Generator;

/// <summary>
/// The kinds of layer attribute: each has one model record, one parse method and one emitter file.
/// Activations are one kind, told apart by their row of the activation table.
/// </summary>
internal enum LayerKind
{
    Linear,
    Activation,
    Dropout,
    Input,
    Conv2d,
    MaxPool2d,
    AvgPool2d,
    Flatten,
    Conv1d,
    MaxPool1d,
    AvgPool1d,
    BatchNorm1d,
    BatchNorm2d,
}

/// <summary>Which attribute declares which kind of layer.</summary>
internal static class LayerAttributes
{
    public const string Linear = "CompiledNets.LinearAttribute";
    public const string Dropout = "CompiledNets.DropoutAttribute";

    /// <summary>The attributes of the kinds that are not activations, by kind.</summary>
    private static readonly (string Name, LayerKind Kind)[] Others =
    {
        (Linear, LayerKind.Linear),
        (Dropout, LayerKind.Dropout),
        ("CompiledNets.InputAttribute", LayerKind.Input),
        ("CompiledNets.Conv2dAttribute", LayerKind.Conv2d),
        ("CompiledNets.MaxPool2dAttribute", LayerKind.MaxPool2d),
        ("CompiledNets.AvgPool2dAttribute", LayerKind.AvgPool2d),
        ("CompiledNets.FlattenAttribute", LayerKind.Flatten),
        ("CompiledNets.Conv1dAttribute", LayerKind.Conv1d),
        ("CompiledNets.MaxPool1dAttribute", LayerKind.MaxPool1d),
        ("CompiledNets.AvgPool1dAttribute", LayerKind.AvgPool1d),
        ("CompiledNets.BatchNorm1dAttribute", LayerKind.BatchNorm1d),
        ("CompiledNets.BatchNorm2dAttribute", LayerKind.BatchNorm2d),
    };

    /// <summary>Every layer attribute's metadata name; a network is discovered through any of them.</summary>
    public static readonly IReadOnlyList<string> All =
        Others.Select(o => o.Name).Concat(Activations.All.Select(a => a.AttributeMetadataName)).ToArray();

    /// <summary>The kind (and activation) an attribute class declares, or null for an attribute that is not a layer.</summary>
    public static (LayerKind Kind, ActivationFunction? Function)? Find(string metadataName)
    {
        foreach (var (name, kind) in Others)
        {
            if (metadataName == name)
            {
                return (kind, null);
            }
        }
        foreach (ActivationDefinition activation in Activations.All)
        {
            if (activation.AttributeMetadataName == metadataName)
            {
                return (LayerKind.Activation, activation.Function);
            }
        }
        return null;
    }
}
