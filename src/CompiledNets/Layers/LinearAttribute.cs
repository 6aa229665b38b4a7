using System;

namespace CompiledNets;

/// <summary>
/// A fully connected layer, <c>y = x Wᵀ + b</c>, like PyTorch's <c>nn.Linear(in_features, out_features)</c>.
/// </summary>
/// <remarks>
/// Apply it to a <c>partial class</c>; the order of the layer attributes is the order of the layers.
/// The weight is stored as <c>[OutFeatures, InFeatures]</c> row-major and the bias as <c>[OutFeatures]</c>,
/// both initialized uniformly in ±1/√InFeatures, as PyTorch does.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LinearAttribute : Attribute
{
    /// <summary>Declares a fully connected layer.</summary>
    /// <param name="inFeatures">Size of each input sample; must equal what the previous layer produces.</param>
    /// <param name="outFeatures">Size of each output sample.</param>
    public LinearAttribute(int inFeatures, int outFeatures)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
    }

    /// <summary>Size of each input sample.</summary>
    public int InFeatures { get; }

    /// <summary>Size of each output sample.</summary>
    public int OutFeatures { get; }
}
