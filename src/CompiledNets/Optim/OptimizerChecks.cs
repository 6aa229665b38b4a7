using System;

namespace CompiledNets;

/// <summary>Argument checks shared by everything that takes a network together with its optimizer.</summary>
internal static class OptimizerChecks
{
    /// <summary>Throws unless <paramref name="optimizer"/> updates <paramref name="network"/> itself.</summary>
    public static void ThrowIfNotOf(IOptimizer optimizer, INetwork network, string parameterName)
    {
        if (!ReferenceEquals(optimizer.Network, network))
        {
            throw new ArgumentException(
                $"Expected the optimizer of this {network.GetType().Name} but the optimizer updates another network ({optimizer.Network.GetType().Name}).",
                parameterName);
        }
    }
}
