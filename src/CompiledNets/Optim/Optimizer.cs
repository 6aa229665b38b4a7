using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace CompiledNets;

/// <summary>
/// What every element-wise optimizer over the flat parameter buffer shares, like <c>torch.optim.Optimizer</c>: the
/// network, a settable learning rate, <see cref="ZeroGrad"/>, a <see cref="Step"/> that updates every parameter in one
/// pass (split over the network's threads for large networks, with the same result for every thread count), and a
/// state dict (kind, the hyperparameters it was created with, the current learning rate, then the optimizer's own
/// buffers and counters).
/// </summary>
/// <remarks>
/// A subclass says how one range of parameters is updated (<see cref="Update"/>); the base checks, splits and counts.
/// The state buffers have the parameters' layout, so range [start, end) of every buffer belongs to the same floats.
/// </remarks>
public abstract class Optimizer : IOptimizer, IParallelWork
{
    /// <summary>Below this many parameters per thread, waking a thread costs more than the pass.</summary>
    private const int MinimumParametersPerThread = 32 * 1024;

    private float _lr;

    private protected Optimizer(INetwork network, float lr)
    {
        ArgumentNullException.ThrowIfNull(network);
        CheckNonNegative(lr, nameof(lr), "learning rate");
        Network = network;
        _lr = lr;
        InitialLr = lr;
        _splitByTensor = CoversParameters(network);
    }

    // Whether the named tensors lie one after another over the whole flat buffer (every generated network's do), so that
    // threads can split each tensor's rows; otherwise they split the flat buffer.
    private readonly bool _splitByTensor;

    private static bool CoversParameters(INetwork network)
    {
        int next = 0;
        foreach (ParameterTensor tensor in network.NamedParameters)
        {
            if (tensor.Offset != next || tensor.Shape.Count == 0 || tensor.Shape[0] == 0) return false;
            next += tensor.Length;
        }
        return next == network.ParameterCount;
    }

    /// <inheritdoc/>
    public INetwork Network { get; }

    /// <summary>The learning rate of the next step; schedules set it (finite, at least 0).</summary>
    public float Lr
    {
        get => _lr;
        set => _lr = float.IsFinite(value) && value >= 0f ? value : throw new ArgumentOutOfRangeException(nameof(Lr), value, "Expected a finite learning rate >= 0.");
    }

    /// <summary>The learning rate the optimizer was created with (PyTorch's <c>initial_lr</c>).</summary>
    public float InitialLr { get; }

    /// <summary>Steps taken (PyTorch's per-parameter <c>step</c> state).</summary>
    public long StepCount { get; private set; }

    /// <summary>The optimizer's name in its state dict and messages.</summary>
    private protected abstract string Kind { get; }

    /// <summary>The hyperparameters it was created with, as PyTorch names them: a checkpoint refuses others.</summary>
    private protected abstract string Defaults { get; }

    /// <summary>
    /// Sets every gradient to zero, like <c>optimizer.zero_grad(set_to_none=False)</c>: split over threads as
    /// <see cref="Step"/> is, so each thread clears the gradients it updates (and the backward pass on that thread wrote).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ZeroGrad()
    {
        int parts = Parts(Network.Gradients.Length);
        if (parts == 1)
        {
            Network.Gradients.Clear();
        }
        else
        {
            Parallelism.Run(this, ZeroGradWork, parts, Network.ThreadCount);
        }
    }

    private const int StepWork = 0, ZeroGradWork = 1;

    /// <summary>Parts of a pass over <paramref name="count"/> floats: one per thread, each of at least MinimumParametersPerThread.</summary>
    private int Parts(int count) => (int)Math.Clamp(count / MinimumParametersPerThread, 1, Parallelism.ThreadsNow(Network.ThreadCount));

    /// <summary>Updates every parameter once from the current gradients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Step()
    {
        int count = Network.Parameters.Length;
        if (count != Network.Gradients.Length || count != Network.ParameterCount)
        {
            throw new InvalidOperationException(
                $"The network has {count} parameters and {Network.Gradients.Length} gradients; the optimizer was built for {Network.ParameterCount}.");
        }
        StepCount++;
        BeginStep(StepCount);
        int parts = Parts(count);
        if (parts == 1)
        {
            Update(Network.Parameters, Network.Gradients, 0);
        }
        else
        {
            Parallelism.Run(this, StepWork, parts, Network.ThreadCount);
        }
    }

    /// <summary>
    /// Part <paramref name="part"/> of <paramref name="parts"/>: the same share of the rows of every parameter tensor (its
    /// first dimension, in runs of 16 rows), the way a layer's products split a weight's output rows over threads, so that a
    /// thread updates (and clears the gradients of) the rows its own products wrote and will read next.
    /// </summary>
    void IParallelWork.RunPart(int work, int part, int parts)
    {
        // Clearing gradients must not take Parameters: that counts as changing them, and a backward may still follow.
        Span<float> parameters = work == ZeroGradWork ? default : Network.Parameters, gradients = Network.Gradients;
        if (!_splitByTensor)
        {
            int count = gradients.Length;
            int from = Parallelism.PartStart(count, part, parts, 64), to = Parallelism.PartStart(count, part + 1, parts, 64);
            if (work == ZeroGradWork)
            {
                gradients[from..to].Clear();
            }
            else
            {
                Update(parameters[from..to], gradients[from..to], from);
            }
            return;
        }
        IReadOnlyList<ParameterTensor> tensors = Network.NamedParameters;
        for (int i = 0; i < tensors.Count; i++)
        {
            ParameterTensor tensor = tensors[i];
            int rows = tensor.Shape.Count == 0 ? 1 : tensor.Shape[0], rowLength = rows == 0 ? 0 : tensor.Length / rows;
            int start = tensor.Offset + Parallelism.PartStart(rows, part, parts, 16) * rowLength;
            int end = tensor.Offset + Parallelism.PartStart(rows, part + 1, parts, 16) * rowLength;
            if (work == ZeroGradWork)
            {
                gradients[start..end].Clear();
            }
            else if (end > start)
            {
                Update(parameters[start..end], gradients[start..end], start);
            }
        }
    }

    /// <summary>Computes what the whole step shares (bias corrections, step sizes) before the pass; <paramref name="step"/> counts from 1.</summary>
    private protected virtual void BeginStep(long step)
    {
    }

    /// <summary>
    /// Updates <paramref name="parameters"/> from <paramref name="gradients"/>, the range of the flat buffers that starts at
    /// float <paramref name="offset"/> (the same range of every state buffer). Every lane of a vector does the scalar
    /// code's operations in the same order, so the result does not depend on the vector width or the thread count.
    /// </summary>
    private protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset);

    /// <inheritdoc/>
    public StateDict StateDict()
    {
        var state = new StateDict();
        state.Add("kind", Kind);
        state.Add("defaults", Defaults);
        state.Add("lr", (double)_lr);
        state.Add("step", StepCount);
        AddState(state);
        return state;
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> CheckStateDict(StateDict state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = new List<string>();
        if (state["kind"] is not string kind || kind != Kind)
        {
            problems.Add($"it holds the state of a '{Describe(state["kind"])}' optimizer but the optimizer is {Kind}");
            return problems;
        }
        if (state["defaults"] is not string defaults || defaults != Defaults)
        {
            problems.Add($"it was saved with {Describe(state["defaults"])} but the optimizer is {Defaults}; " +
                "a checkpoint continues the same run, so create the optimizer with the saved hyperparameters");
        }
        if (state["lr"] is not double lr || !double.IsFinite(lr) || lr < 0)
        {
            problems.Add($"its learning rate is {Describe(state["lr"])}, not a finite number >= 0");
        }
        if (state["step"] is not long step || step < 0)
        {
            problems.Add($"its step count is {Describe(state["step"])}, not an integer >= 0");
        }
        CheckState(state, problems);
        return problems;
    }

    /// <inheritdoc/>
    public void LoadStateDict(StateDict state)
    {
        IReadOnlyList<string> problems = CheckStateDict(state);
        if (problems.Count > 0)
        {
            throw new ArgumentException("The state does not fit this optimizer: " + string.Join("; ", problems), nameof(state));
        }
        _lr = (float)state.Number("lr");
        StepCount = state.Integer("step");
        LoadState(state);
    }

    /// <summary>Adds the optimizer's own buffers and settings.</summary>
    private protected abstract void AddState(StateDict state);

    /// <summary>Adds a problem for every entry of its own that is missing or does not fit.</summary>
    private protected abstract void CheckState(StateDict state, List<string> problems);

    /// <summary>Restores its own entries from a state that passed <see cref="CheckState"/>.</summary>
    private protected abstract void LoadState(StateDict state);

    /// <summary>Adds a problem unless <paramref name="name"/> is a tensor of <paramref name="expected"/> floats.</summary>
    private protected static void CheckTensor(StateDict state, string name, int expected, List<string> problems)
    {
        if (state[name] is not float[] tensor || tensor.Length != expected)
        {
            problems.Add($"its {name} holds {Describe(state[name])} but the optimizer's holds {expected} floats");
        }
    }

    /// <summary>Adds a problem unless <paramref name="name"/> is a finite number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    private protected static void CheckNumber(StateDict state, string name, double min, double max, List<string> problems)
    {
        if (state[name] is not double value || !double.IsFinite(value) || value < min || value > max)
        {
            problems.Add($"its {name} is {Describe(state[name])}, not a finite number in [{min}, {max}]");
        }
    }

    private protected static string Describe(object? value) => CompiledNets.StateDict.Describe(value);

    /// <summary>PyTorch's "Invalid … value" checks, with the value named; NaN and infinities are refused too.</summary>
    private protected static void CheckNonNegative(float value, string name, string what)
    {
        if (!(value >= 0f) || !float.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected a finite {what} >= 0.");
        }
    }

    /// <summary>A factor in [0, 1), as PyTorch requires of Adam's betas.</summary>
    private protected static void CheckBeta(float value, string name)
    {
        if (!(value >= 0f && value < 1f))
        {
            throw new ArgumentOutOfRangeException(name, value, "Expected a value in [0, 1).");
        }
    }
}
