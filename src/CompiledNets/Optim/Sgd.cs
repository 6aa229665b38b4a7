using System;
using System.Collections.Generic;
using System.Globalization;

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
public sealed class Sgd : Optimizer, IMomentumOptimizer
{
    private float[] _momentumBuffer;
    private float _momentum;
    private bool _hasMomentumBuffer;
    private bool _firstMomentumStep;

    /// <summary>Creates the optimizer for all parameters of <paramref name="network"/>.</summary>
    /// <param name="network">The network whose <see cref="INetwork.Parameters"/> are updated.</param>
    /// <param name="lr">Learning rate, &gt; 0.</param>
    /// <param name="momentum">Momentum factor, ≥ 0.</param>
    /// <param name="dampening">Dampening for momentum.</param>
    /// <param name="weightDecay">L2 penalty, ≥ 0.</param>
    /// <param name="nesterov">Nesterov momentum; needs momentum &gt; 0 and dampening = 0.</param>
    public Sgd(INetwork network, float lr, float momentum = 0f, float dampening = 0f, float weightDecay = 0f, bool nesterov = false)
        : base(network, PositiveLr(lr))
    {
        CheckNonNegative(momentum, nameof(momentum), "momentum");
        if (!float.IsFinite(dampening)) throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "Expected a finite dampening.");
        CheckNonNegative(weightDecay, nameof(weightDecay), "weight decay");
        if (nesterov && (momentum <= 0f || dampening != 0f))
        {
            throw new ArgumentException(
                $"Expected momentum > 0 and dampening = 0 for Nesterov momentum, but got momentum = {momentum}, dampening = {dampening}.", nameof(nesterov));
        }
        _momentum = momentum;
        InitialMomentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _momentumBuffer = momentum != 0f ? new float[network.ParameterCount] : [];
    }

    /// <summary>Unlike the other optimizers (and as before schedules existed), SGD is created with a learning rate above 0.</summary>
    private static float PositiveLr(float lr) =>
        lr > 0f && float.IsFinite(lr) ? lr : throw new ArgumentOutOfRangeException(nameof(lr), lr, "Expected a finite learning rate > 0.");

    /// <summary>The momentum factor of the next step (finite, ≥ 0); <see cref="OneCycleLR"/> cycles it.</summary>
    public float Momentum
    {
        get => _momentum;
        set
        {
            CheckNonNegative(value, nameof(Momentum), "momentum");
            if (value != 0f && _momentumBuffer.Length == 0)
            {
                _momentumBuffer = new float[Network.ParameterCount];
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

    /// <summary>
    /// Whether the momentum buffer holds a step's result (PyTorch's <c>momentum_buffer</c> is not <c>None</c>):
    /// before the first step the buffer starts as a copy of the gradient, afterwards it is blended. A checkpoint
    /// needs both the buffer and this flag to continue bit-identically.
    /// </summary>
    internal bool HasMomentumBuffer => _hasMomentumBuffer;

    private protected override string Kind => "Sgd";

    private protected override string Defaults => string.Create(CultureInfo.InvariantCulture,
        $"Sgd(lr={InitialLr:R}, momentum={InitialMomentum:R}, dampening={Dampening:R}, weight_decay={WeightDecay:R}, nesterov={Nesterov})");

    private protected override void AddState(StateDict state)
    {
        state.Add("momentum", (double)_momentum);
        state.Add("momentum_buffer_started", _hasMomentumBuffer);
        state.Add("momentum_buffer", _momentumBuffer);
    }

    private protected override void CheckState(StateDict state, List<string> problems)
    {
        // The current momentum (a schedule may cycle it); files written before it was saved hold the initial one.
        double momentum = state["momentum"] is double saved ? saved : InitialMomentum;
        if (!double.IsFinite(momentum) || momentum < 0)
        {
            problems.Add($"its momentum is {momentum}, not a finite number >= 0");
        }
        if (state["momentum_buffer"] is not float[] buffer || (buffer.Length != 0 && buffer.Length != Network.ParameterCount)
            || state["momentum_buffer_started"] is not bool started)
        {
            problems.Add($"its momentum buffer holds {Describe(state["momentum_buffer"])} but the optimizer's holds 0 or {Network.ParameterCount} floats");
        }
        else if (started && (momentum == 0 || buffer.Length == 0))
        {
            problems.Add("it has a started momentum buffer but no momentum");
        }
    }

    private protected override void LoadState(StateDict state)
    {
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

    private protected override void BeginStep(long step)
    {
        // PyTorch starts the buffer as a copy of the first gradient it sees; a momentum of 0 leaves it as it is.
        _firstMomentumStep = !_hasMomentumBuffer;
        _hasMomentumBuffer |= _momentum != 0f;
    }

    private protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset)
    {
        Span<float> buffer = _momentum != 0f ? _momentumBuffer.AsSpan(offset, parameters.Length) : default;
        SgdKernel.Update(parameters, gradients, buffer, Lr, WeightDecay, _momentum, 1f - Dampening, _firstMomentumStep, Nesterov);
    }
}
