using System;
using System.Collections.Generic;

namespace CompiledNets;

/// <summary>
/// A network's buffers (each batch normalization's running_mean, running_var and num_batches_tracked) as a checkpoint
/// section, under their state_dict names, so a resumed run normalizes and evaluates as the run that never stopped.
/// Only networks with buffers have one.
/// </summary>
internal sealed class BufferStateSection(INetwork network) : IStateful
{
    /// <summary>Whether <paramref name="network"/> has buffers (and so a section).</summary>
    public static bool Applies(INetwork network) => network.NamedBuffers.Count > 0;

    public StateDict StateDict()
    {
        var state = new StateDict();
        state.Add("kind", "Buffers");
        foreach (BufferTensor buffer in network.NamedBuffers)
        {
            if (buffer.Dtype == BufferDtype.Int64)
            {
                state.Add(buffer.Name, buffer.Slice(network.IntegerBuffers)[0]);
            }
            else
            {
                state.Add(buffer.Name, buffer.Slice(network.Buffers));
            }
        }
        return state;
    }

    public IReadOnlyList<string> CheckStateDict(StateDict state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = new List<string>();
        if (state["kind"] as string != "Buffers")
        {
            problems.Add($"its buffers are {state}, not a network's buffers");
            return problems;
        }
        foreach (BufferTensor buffer in network.NamedBuffers)
        {
            object? saved = state[buffer.Name];
            bool fits = buffer.Dtype == BufferDtype.Int64 ? saved is long && buffer.Length == 1 : saved is float[] values && values.Length == buffer.Length;
            if (!fits)
            {
                string wanted = buffer.Dtype == BufferDtype.Int64 ? "an integer" : $"{buffer.Length} floats";
                problems.Add($"'{buffer.Name}' is {CompiledNets.StateDict.Describe(saved)} but {wanted} is expected");
            }
        }
        if (state.Count != network.NamedBuffers.Count + 1)
        {
            problems.Add($"it holds {state.Count - 1} buffers but {network.GetType().Name} has {network.NamedBuffers.Count}");
        }
        return problems;
    }

    public void LoadStateDict(StateDict state)
    {
        if (CheckStateDict(state) is { Count: > 0 } problems) throw new ArgumentException(string.Join("; ", problems), nameof(state));
        foreach (BufferTensor buffer in network.NamedBuffers)
        {
            if (buffer.Dtype == BufferDtype.Int64)
            {
                buffer.Slice(network.IntegerBuffers)[0] = state.Integer(buffer.Name);
            }
            else
            {
                state.Tensor(buffer.Name).CopyTo(buffer.Slice(network.Buffers));
            }
        }
    }
}
