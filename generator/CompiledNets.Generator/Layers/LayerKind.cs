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
}

/// <summary>Which attribute declares which kind of layer.</summary>
internal static class LayerAttributes
{
    public const string Linear = "CompiledNets.LinearAttribute";
    public const string Dropout = "CompiledNets.DropoutAttribute";

    /// <summary>Every layer attribute's metadata name; a network is discovered through any of them.</summary>
    public static readonly IReadOnlyList<string> All =
        new[] { Linear, Dropout }.Concat(Activations.All.Select(a => a.AttributeMetadataName)).ToArray();

    /// <summary>The kind (and activation) an attribute class declares, or null for an attribute that is not a layer.</summary>
    public static (LayerKind Kind, ActivationFunction? Function)? Find(string metadataName)
    {
        if (metadataName == Linear)
        {
            return (LayerKind.Linear, null);
        }
        if (metadataName == Dropout)
        {
            return (LayerKind.Dropout, null);
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
