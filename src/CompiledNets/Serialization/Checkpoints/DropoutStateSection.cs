using System;
using System.Collections.Generic;
using System.Linq;

namespace CompiledNets;

/// <summary>
/// The state of a network's dropout generator as a checkpoint section, so a resumed run draws the masks the run that
/// never stopped would have drawn. Only networks with dropout layers have one.
/// </summary>
internal sealed class DropoutStateSection(INetwork network) : IStateful
{
    /// <summary>Whether <paramref name="network"/> has dropout layers (and so a section).</summary>
    public static bool Applies(INetwork network) => network.Layers.Any(layer => layer.Kind == LayerKind.Dropout);

    public StateDict StateDict()
    {
        var state = new StateDict();
        state.Add("kind", "Dropout");
        // A u64 as its two's-complement i64.
        state.Add("generator_state", unchecked((long)network.DropoutState));
        return state;
    }

    public IReadOnlyList<string> CheckStateDict(StateDict state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = new List<string>();
        if (state["kind"] as string != "Dropout" || state["generator_state"] is not long)
        {
            problems.Add($"its dropout state is {state}, not a generator state");
        }
        return problems;
    }

    public void LoadStateDict(StateDict state)
    {
        if (CheckStateDict(state) is { Count: > 0 } problems) throw new ArgumentException(string.Join("; ", problems), nameof(state));
        network.DropoutState = unchecked((ulong)state.Integer("generator_state"));
    }
}
