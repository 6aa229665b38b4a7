using System;

namespace CompiledNets;

/// <summary>
/// Gaussian error linear unit, <c>y = x · Φ(x)</c> with <c>Φ(x) = (1 + erf(x / √2)) / 2</c> the standard normal
/// distribution function, like PyTorch's <c>nn.GELU()</c> (its exact form, <c>approximate='none'</c>).
/// </summary>
/// <remarks>Hendrycks and Gimpel, "Gaussian Error Linear Units (GELUs)", 2016 (arXiv:1606.08415).</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GELUAttribute : Attribute
{
}
