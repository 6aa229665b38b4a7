using System;
using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

/// <summary>
/// Roslyn compares hint names ignoring case, so <c>MyApp.Net</c> and <c>MyApp.NET</c> would collide
/// and the second <c>AddSource</c> would throw. Names that clash get a numeric suffix, in ordinal
/// order of their exact spelling, so the result does not depend on discovery order.
/// </summary>
internal static class HintNames
{
    public static EquatableArray<NetworkSpec> MakeUnique(IEnumerable<NetworkSpec> networks)
    {
        var unique = new List<NetworkSpec>();
        foreach (var clash in networks.OrderBy(n => n.HintName, StringComparer.Ordinal).GroupBy(n => n.HintName, StringComparer.OrdinalIgnoreCase))
        {
            int index = 0;
            foreach (NetworkSpec network in clash)
            {
                unique.Add(index == 0 ? network : network with { HintName = network.HintName.Substring(0, network.HintName.Length - ".g.cs".Length) + $".{index + 1}.g.cs" });
                index++;
            }
        }
        return new EquatableArray<NetworkSpec>(unique);
    }
}
