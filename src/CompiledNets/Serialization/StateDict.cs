using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;

namespace CompiledNets;

/// <summary>
/// Named tensors and numbers, like the dictionaries PyTorch's <c>state_dict()</c> methods return: everything an
/// optimizer or a learning-rate schedule needs saved to continue exactly where it stopped. A <see cref="Checkpoint"/>
/// stores one per component and hands it back to <c>LoadStateDict</c>.
/// </summary>
/// <remarks>
/// Entries keep the order they were added in. Values are float tensors (<c>float[]</c>, copied in and out), and
/// <see cref="double"/>, <see cref="long"/>, <see cref="bool"/> or <see cref="string"/> scalars; the typed getters
/// throw an <see cref="ArgumentException"/> naming the entry when it is missing or of another type.
/// </remarks>
public sealed class StateDict : IEnumerable<KeyValuePair<string, object>>
{
    private readonly List<KeyValuePair<string, object>> _entries = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Whether an entry of this name exists.</summary>
    public bool Contains(string name) => _index.ContainsKey(name);

    /// <summary>Adds a copy of a tensor.</summary>
    public void Add(string name, ReadOnlySpan<float> tensor) => AddValue(name, tensor.ToArray());

    /// <summary>Adds a number (hyperparameters are stored as doubles, exactly representing every float).</summary>
    public void Add(string name, double value) => AddValue(name, value);

    /// <summary>Adds an integer (step counts).</summary>
    public void Add(string name, long value) => AddValue(name, value);

    /// <summary>Adds a flag.</summary>
    public void Add(string name, bool value) => AddValue(name, value);

    /// <summary>Adds a string (the kind of optimizer, a mode).</summary>
    public void Add(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        AddValue(name, value);
    }

    /// <summary>The tensor named <paramref name="name"/> (not a copy: do not change it).</summary>
    public float[] Tensor(string name) => Get<float[]>(name, "a float tensor");

    /// <summary>The number named <paramref name="name"/>.</summary>
    public double Number(string name) => Get<double>(name, "a number");

    /// <summary>The integer named <paramref name="name"/>.</summary>
    public long Integer(string name) => Get<long>(name, "an integer");

    /// <summary>The flag named <paramref name="name"/>.</summary>
    public bool Flag(string name) => Get<bool>(name, "a flag");

    /// <summary>The string named <paramref name="name"/>.</summary>
    public string Text(string name) => Get<string>(name, "a string");

    /// <summary>The value named <paramref name="name"/>, of any type, or null when there is none.</summary>
    public object? this[string name] => _index.TryGetValue(name, out int i) ? _entries[i].Value : null;

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One line per entry: its name and its value (tensors by their length).</summary>
    public override string ToString() => string.Join(", ", _entries.ConvertAll(entry => $"{entry.Key}={Describe(entry.Value)}"));

    /// <summary>A value as messages show it: numbers round-trip, tensors by length.</summary>
    public static string Describe(object? value) => value switch
    {
        float[] tensor => $"[{tensor.Length} floats]",
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        IFormattable other => other.ToString(null, CultureInfo.InvariantCulture),
        null => "(none)",
        _ => value.ToString() ?? "",
    };

    private void AddValue(string name, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_index.ContainsKey(name))
        {
            throw new ArgumentException($"The state already has an entry '{name}'.", nameof(name));
        }
        _index[name] = _entries.Count;
        _entries.Add(new(name, value));
    }

    private T Get<T>(string name, string what)
    {
        if (!_index.TryGetValue(name, out int i))
        {
            throw new ArgumentException($"The state has no entry '{name}' (it has {(_entries.Count == 0 ? "none" : string.Join(", ", _index.Keys))}).", nameof(name));
        }
        object value = _entries[i].Value;
        return value is T typed ? typed : throw new ArgumentException($"The state's entry '{name}' is {Describe(value)}, not {what}.", nameof(name));
    }
}
