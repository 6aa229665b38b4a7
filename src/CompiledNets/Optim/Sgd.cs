using System;
using System.Runtime.CompilerServices;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;

namespace CompiledNets;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, weight decay and Nesterov momentum,
/// with exactly the update of PyTorch's <c>torch.optim.SGD</c>:
/// <code>
/// g = grad + weight_decay · p
/// if momentum ≠ 0:
///     buf = g                                    (first step)
///     buf = momentum · buf + (1 − dampening) · g (later steps)
///     g   = g + momentum · buf   if nesterov,  else  g = buf
/// p = p − lr · g
/// </code>
/// </summary>
/// <remarks>
/// Nesterov momentum follows Sutskever et al., "On the importance of initialization and momentum in
/// deep learning" (ICML 2013), in PyTorch's formulation. The whole update is one pass over the
/// network's flat parameter and gradient buffers; the momentum buffer has the same layout.
/// <para>Its <see cref="StateDict"/> holds the hyperparameters it was created with (a checkpoint refuses an optimizer
/// created with others), the current learning rate (which a schedule may have changed), and the momentum buffer.</para>
/// </remarks>
public sealed class Sgd : IMomentumOptimizer, IParallelWork
{
    private readonly INetwork _network;
    private float[] _momentumBuffer;
    private float _momentum;
    private bool _hasMomentumBuffer;

    /// <summary>Creates the optimizer for all parameters of <paramref name="network"/>.</summary>
    /// <param name="network">The network whose <see cref="INetwork.Parameters"/> are updated.</param>
    /// <param name="lr">Learning rate, &gt; 0.</param>
    /// <param name="momentum">Momentum factor, ≥ 0.</param>
    /// <param name="dampening">Dampening for momentum.</param>
    /// <param name="weightDecay">L2 penalty, ≥ 0.</param>
    /// <param name="nesterov">Nesterov momentum; needs momentum &gt; 0 and dampening = 0.</param>
    public Sgd(INetwork network, float lr, float momentum = 0f, float dampening = 0f, float weightDecay = 0f, bool nesterov = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(lr > 0f) || !float.IsFinite(lr)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "Expected a finite learning rate > 0.");
        if (!(momentum >= 0f) || !float.IsFinite(momentum)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Expected a finite momentum >= 0.");
        if (!float.IsFinite(dampening)) throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "Expected a finite dampening.");
        if (!(weightDecay >= 0f) || !float.IsFinite(weightDecay)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Expected a finite weight decay >= 0.");
        if (nesterov && (momentum <= 0f || dampening != 0f))
        {
            throw new ArgumentException(
                $"Expected momentum > 0 and dampening = 0 for Nesterov momentum, but got momentum = {momentum}, dampening = {dampening}.", nameof(nesterov));
        }
        _network = network;
        _lr = lr;
        InitialLr = lr;
        _momentum = momentum;
        InitialMomentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _momentumBuffer = momentum != 0f ? new float[network.ParameterCount] : [];
    }

    /// <summary>The learning rate of the next step; schedules set it (finite, at least 0).</summary>
    public float Lr
    {
        get => _lr;
        set => _lr = float.IsFinite(value) && value >= 0f ? value : throw new ArgumentOutOfRangeException(nameof(Lr), value, "Expected a finite learning rate >= 0.");
    }

    private float _lr;

    /// <summary>The learning rate the optimizer was created with (PyTorch's <c>initial_lr</c>).</summary>
    public float InitialLr { get; }

    /// <summary>The momentum factor of the next step (finite, ≥ 0); <see cref="OneCycleLR"/> cycles it.</summary>
    public float Momentum
    {
        get => _momentum;
        set
        {
            if (!(value >= 0f) || !float.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(Momentum), value, "Expected a finite momentum >= 0.");
            if (value != 0f && _momentumBuffer.Length == 0)
            {
                _momentumBuffer = new float[_network.ParameterCount];
            }
            _momentum = value;
        }
    }

    /// <summary>The momentum factor the optimizer was created with.</summary>
    public float InitialMomentum { get; }

    /// <summary>Dampening for momentum.</summary>
    public float Dampening { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public float WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>The momentum buffer, laid out like the parameters (empty without momentum).</summary>
    public ReadOnlySpan<float> MomentumBuffer => _momentumBuffer;

    /// <inheritdoc/>
    public INetwork Network => _network;

    /// <summary>
    /// Whether the momentum buffer holds a step's result (PyTorch's <c>momentum_buffer</c> is not <c>None</c>):
    /// before the first step the buffer starts as a copy of the gradient, afterwards it is blended. A checkpoint
    /// needs both the buffer and this flag to continue bit-identically.
    /// </summary>
    internal bool HasMomentumBuffer => _hasMomentumBuffer;

    /// <summary>The hyperparameters the optimizer was created with, as PyTorch names them: a checkpoint checks them.</summary>
    private string Defaults => string.Create(CultureInfo.InvariantCulture,
        $"Sgd(lr={InitialLr:R}, momentum={InitialMomentum:R}, dampening={Dampening:R}, weight_decay={WeightDecay:R}, nesterov={Nesterov})");

    /// <inheritdoc/>
    public StateDict StateDict()
    {
        var state = new StateDict();
        state.Add("kind", "Sgd");
        state.Add("defaults", Defaults);
        state.Add("lr", (double)_lr);
        state.Add("momentum", (double)_momentum);
        state.Add("momentum_buffer_started", _hasMomentumBuffer);
        state.Add("momentum_buffer", _momentumBuffer);
        return state;
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> CheckStateDict(StateDict state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = new List<string>();
        if (state["kind"] is not "Sgd")
        {
            problems.Add($"it holds the state of a '{Describe(state["kind"])}' optimizer but the optimizer is Sgd");
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
        // The current momentum (a schedule may cycle it); files written before it was saved hold the initial one.
        double momentum = state["momentum"] is double saved ? saved : InitialMomentum;
        if (!double.IsFinite(momentum) || momentum < 0)
        {
            problems.Add($"its momentum is {momentum}, not a finite number >= 0");
        }
        if (state["momentum_buffer"] is not float[] buffer || (buffer.Length != 0 && buffer.Length != _network.ParameterCount)
            || state["momentum_buffer_started"] is not bool started)
        {
            problems.Add($"its momentum buffer holds {Describe(state["momentum_buffer"])} but the optimizer's holds 0 or {_network.ParameterCount} floats");
        }
        else if (started && (momentum == 0 || buffer.Length == 0))
        {
            problems.Add("it has a started momentum buffer but no momentum");
        }
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
        Momentum = state["momentum"] is double momentum ? (float)momentum : InitialMomentum;
        float[] buffer = state.Tensor("momentum_buffer");
        if (buffer.Length > 0)
        {
            if (_momentumBuffer.Length == 0) _momentumBuffer = new float[buffer.Length];
            buffer.CopyTo(_momentumBuffer, 0);
        }
        else
        {
            Array.Clear(_momentumBuffer);
        }
        _hasMomentumBuffer = state.Flag("momentum_buffer_started");
    }

    private static string Describe(object? value) => CompiledNets.StateDict.Describe(value);

    /// <summary>Sets every gradient to zero, like <c>optimizer.zero_grad(set_to_none=False)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ZeroGrad() => _network.Gradients.Clear();

    /// <summary>Updates every parameter once from the current gradients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Step()
    {
        int count = _network.Parameters.Length;
        if (count != _network.Gradients.Length || (Momentum != 0f && _momentumBuffer.Length != count))
        {
            throw new InvalidOperationException(
                $"The network has {count} parameters and {_network.Gradients.Length} gradients; the optimizer was built for {_momentumBuffer.Length}.");
        }

        // Large networks split the pass over the network's threads; each float is updated by the same
        // operations whichever thread runs it, so the result does not depend on the thread count.
        int parts = (int)Math.Clamp(count / MinimumParametersPerThread, 1, _network.ThreadCount);
        if (parts == 1)
        {
            Update(0, count);
        }
        else
        {
            Parallelism.Run(this, 0, parts);
        }
        _hasMomentumBuffer |= Momentum != 0f;
    }

    /// <summary>Below this many parameters per thread, waking a thread costs more than the pass.</summary>
    private const int MinimumParametersPerThread = 32 * 1024;

    void IParallelWork.RunPart(int work, int part, int parts)
    {
        int count = _network.Parameters.Length;
        Update(Parallelism.PartStart(count, part, parts, 64), Parallelism.PartStart(count, part + 1, parts, 64));
    }

    // The hot loop of every training step: fully optimized from its first call, not after tiering up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Update(int start, int end)
    {
        Span<float> parameters = _network.Parameters[start..end];
        ReadOnlySpan<float> gradients = _network.Gradients[start..end];
        Span<float> buffer = Momentum != 0f ? _momentumBuffer.AsSpan(start, end - start) : default;
        float lr = _lr, weightDecay = WeightDecay, momentum = Momentum, keep = 1f - Dampening;
        bool first = !_hasMomentumBuffer;
        int i = 0;

        // One pass over the flat buffers, a hardware vector at a time. Every lane does the scalar
        // tail's operations in the same order and without fused multiply-adds, so the result does
        // not depend on the vector width.
        if (Vector.IsHardwareAccelerated)
        {
            var vLr = new Vector<float>(lr);
            var vWeightDecay = new Vector<float>(weightDecay);
            var vMomentum = new Vector<float>(momentum);
            var vKeep = new Vector<float>(keep);
            for (; i <= parameters.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(gradients.Slice(i));
                var p = new Vector<float>(parameters.Slice(i));
                if (weightDecay != 0f)
                {
                    g += vWeightDecay * p;
                }
                if (momentum != 0f)
                {
                    var b = first ? g : vMomentum * new Vector<float>(buffer.Slice(i)) + vKeep * g;
                    b.CopyTo(buffer.Slice(i));
                    g = Nesterov ? g + vMomentum * b : b;
                }
                (p - vLr * g).CopyTo(parameters.Slice(i));
            }
        }
        for (; i < parameters.Length; i++)
        {
            float g = gradients[i];
            if (weightDecay != 0f)
            {
                g += weightDecay * parameters[i];
            }
            if (momentum != 0f)
            {
                // PyTorch starts the buffer as a copy of the first gradient; dampening applies afterwards.
                float b = first ? g : momentum * buffer[i] + keep * g;
                buffer[i] = b;
                g = Nesterov ? g + momentum * b : b;
            }
            parameters[i] -= lr * g;
        }
    }
}
