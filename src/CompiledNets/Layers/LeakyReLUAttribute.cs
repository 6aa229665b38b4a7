using System;

namespace CompiledNets;

/// <summary>
/// Leaky rectified linear unit, <c>y = x if x &gt; 0 else NegativeSlope · x</c>, like PyTorch's <c>nn.LeakyReLU</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LeakyReLUAttribute : Attribute
{
    /// <summary>Declares a leaky ReLU.</summary>
    /// <param name="negativeSlope">Slope for negative inputs; PyTorch's default is 0.01.</param>
    public LeakyReLUAttribute(float negativeSlope = 0.01f) => NegativeSlope = negativeSlope;

    /// <summary>Slope for negative inputs.</summary>
    public float NegativeSlope { get; }
}
