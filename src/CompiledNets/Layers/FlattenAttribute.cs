using System;

namespace CompiledNets;

/// <summary>
/// Flattens <c>[C, H, W]</c> into <c>C·H·W</c> features in PyTorch's order (channel, then row, then column), like
/// <c>nn.Flatten()</c>: the values do not move, the next layer sees features.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute
{
}
