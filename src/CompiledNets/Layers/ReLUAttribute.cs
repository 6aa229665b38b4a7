using System;

namespace CompiledNets;

/// <summary>Rectified linear unit, <c>y = max(0, x)</c>, like PyTorch's <c>nn.ReLU</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReLUAttribute : Attribute
{
}
