using System;

namespace CompiledNets;

/// <summary>
/// Sigmoid linear unit (swish), <c>y = x · σ(x)</c> with <c>σ(x) = 1 / (1 + e^(−x))</c>, like PyTorch's <c>nn.SiLU()</c>.
/// </summary>
/// <remarks>Elfwing, Uchibe and Doya, "Sigmoid-Weighted Linear Units for Neural Network Function Approximation in Reinforcement Learning", 2017 (arXiv:1702.03118).</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SiLUAttribute : Attribute
{
}
