using System;

namespace CompiledNets;

/// <summary>
/// Inverted dropout, like PyTorch's <c>nn.Dropout(p)</c>: while the network is training (<see cref="INetwork.Train"/>,
/// the default), each element of a batched forward pass is zeroed with probability <see cref="P"/> and the kept ones
/// are scaled by <c>1 / (1 − p)</c>, so that evaluation (<see cref="INetwork.Eval"/>) is the identity.
/// </summary>
/// <remarks>
/// The masks come from a generator seeded by the network's seed: a run is reproducible and the same for every thread
/// count. One-sample <c>Forward(input, output)</c> and <c>Predict</c> are inference and never drop.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : Attribute
{
    /// <summary>Declares a dropout layer.</summary>
    /// <param name="p">The probability of zeroing an element, in [0, 1); PyTorch's default is 0.5.</param>
    public DropoutAttribute(float p = 0.5f) => P = p;

    /// <summary>The probability of zeroing an element.</summary>
    public float P { get; }
}
