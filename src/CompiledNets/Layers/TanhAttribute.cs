using System;

namespace CompiledNets;

/// <summary>Hyperbolic tangent, <c>y = tanh(x)</c>, like PyTorch's <c>nn.Tanh</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class TanhAttribute : Attribute
{
}
