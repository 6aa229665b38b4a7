using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;

namespace CompiledNets;

/// <summary>
/// The default class names <c>"0"</c>, <c>"1"</c>, … made when read, so a dataset declaring many classes costs no
/// memory per class.
/// </summary>
internal sealed class IndexNames(int count) : IReadOnlyList<string>
{
    public int Count => count;

    public string this[int index] => (uint)index < (uint)count
        ? index.ToString(CultureInfo.InvariantCulture)
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"Expected a class index in [0, {count}) but got {index}.");

    public IEnumerator<string> GetEnumerator()
    {
        for (int i = 0; i < count; i++)
        {
            yield return i.ToString(CultureInfo.InvariantCulture);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
