using System;
using System.Collections.Generic;
using System.Globalization;

namespace CompiledNets;

/// <summary>The names that label a matrix or report's classes.</summary>
internal static class ClassNames
{
    /// <summary>
    /// <paramref name="names"/> checked to hold one non-null name per class, or, when null, the class
    /// indices <c>"0"</c>, <c>"1"</c>, ... as scikit-learn prints <c>str(label)</c> without <c>target_names</c>.
    /// </summary>
    public static string[] Resolve(IReadOnlyList<string>? names, int classCount, string paramName)
    {
        var resolved = new string[classCount];
        if (names is null)
        {
            for (int i = 0; i < classCount; i++) resolved[i] = i.ToString(CultureInfo.InvariantCulture);
            return resolved;
        }
        if (names.Count != classCount)
        {
            throw new ArgumentException($"Expected {classCount} class names (one per class) but got {names.Count}.", paramName);
        }
        for (int i = 0; i < classCount; i++)
        {
            resolved[i] = names[i] ?? throw new ArgumentException($"Expected a name for every class but {paramName}[{i}] is null.", paramName);
        }
        return resolved;
    }
}
