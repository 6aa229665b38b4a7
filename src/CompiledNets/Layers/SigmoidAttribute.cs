using System;

namespace CompiledNets;

/// <summary>Logistic sigmoid, <c>y = 1 / (1 + e^(−x))</c>, like PyTorch's <c>nn.Sigmoid</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SigmoidAttribute : Attribute
{
}
