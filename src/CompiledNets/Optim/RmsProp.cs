using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace CompiledNets;

/// <summary>
/// RMSprop (Hinton's lecture 6e; the centered form from Graves, "Generating Sequences with Recurrent Neural Networks",
/// 2013) exactly as PyTorch's <c>torch.optim.RMSprop</c>:
/// <code>
/// g = g + weight_decay · p
/// v = α · v + (1 − α) · g²
/// centered:  a = α · a + (1 − α) · g,   avg = √(v − a²) + eps
/// else:      avg = √v + eps
/// momentum:  b = μ · b + g / avg,   p = p − lr · b        (b starts at zero)
/// else:      p = p − lr · g / avg
/// </code>
/// </summary>
/// <remarks>One pass over the flat parameter, gradient and state buffers per step, allocation-free.</remarks>
public sealed class RmsProp : Optimizer, IMomentumOptimizer
{
    private readonly float[] _squareAvg;
    private readonly float[] _gradAvg;
    private float[] _momentumBuffer;
    private float _momentum;

    /// <summary>Creates the optimizer for all parameters of <paramref name="network"/>, with PyTorch's defaults.</summary>
    /// <param name="network">The network whose parameters are updated.</param>
    /// <param name="lr">Learning rate, ≥ 0.</param>
    /// <param name="alpha">Smoothing constant of the averages, ≥ 0.</param>
    /// <param name="eps">Added to the denominator, ≥ 0.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient, ≥ 0.</param>
    /// <param name="momentum">Momentum factor, ≥ 0.</param>
    /// <param name="centered">Whether to divide by the estimated variance of the gradient rather than its second moment.</param>
    public RmsProp(INetwork network, float lr = 1e-2f, float alpha = 0.99f, float eps = 1e-8f, float weightDecay = 0f, float momentum = 0f, bool centered = false)
        : base(network, lr)
    {
        CheckNonNegative(alpha, nameof(alpha), "alpha");
        CheckNonNegative(eps, nameof(eps), "epsilon");
        CheckNonNegative(weightDecay, nameof(weightDecay), "weight decay");
        CheckNonNegative(momentum, nameof(momentum), "momentum");
        Alpha = alpha;
        Eps = eps;
        WeightDecay = weightDecay;
        _momentum = momentum;
        InitialMomentum = momentum;
        Centered = centered;
        _squareAvg = new float[network.ParameterCount];
        _gradAvg = centered ? new float[network.ParameterCount] : [];
        _momentumBuffer = momentum > 0f ? new float[network.ParameterCount] : [];
    }

    /// <summary>Smoothing constant α.</summary>
    public float Alpha { get; }

    /// <summary>Added to the denominator.</summary>
    public float Eps { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public float WeightDecay { get; }

    /// <summary>Whether the centered variant is used.</summary>
    public bool Centered { get; }

    /// <summary>The momentum of the next step (≥ 0, finite); <see cref="OneCycleLR"/> cycles it.</summary>
    public float Momentum
    {
        get => _momentum;
        set
        {
            CheckNonNegative(value, nameof(Momentum), "momentum");
            if (value > 0f && _momentumBuffer.Length == 0)
            {
                _momentumBuffer = new float[_squareAvg.Length];
            }
            _momentum = value;
        }
    }

    /// <summary>The momentum the optimizer was created with.</summary>
    public float InitialMomentum { get; }

    /// <summary>The running average of g² (PyTorch's <c>square_avg</c>).</summary>
    public ReadOnlySpan<float> SquareAvg => _squareAvg;

    /// <summary>The running average of g when <see cref="Centered"/> (PyTorch's <c>grad_avg</c>), else empty.</summary>
    public ReadOnlySpan<float> GradAvg => _gradAvg;

    /// <summary>The momentum buffer (empty while the momentum has always been 0).</summary>
    public ReadOnlySpan<float> MomentumBuffer => _momentumBuffer;

    private protected override string Kind => "RmsProp";

    private protected override string Defaults => string.Create(CultureInfo.InvariantCulture,
        $"RmsProp(lr={InitialLr:R}, alpha={Alpha:R}, eps={Eps:R}, weight_decay={WeightDecay:R}, momentum={InitialMomentum:R}, centered={Centered})");

    // The hot loop of every training step: fully optimized from its first call, not after tiering up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset)
    {
        int n = parameters.Length;
        Span<float> v = _squareAvg.AsSpan(offset, n);
        Span<float> a = Centered ? _gradAvg.AsSpan(offset, n) : default;
        bool withMomentum = _momentum > 0f;
        Span<float> b = withMomentum ? _momentumBuffer.AsSpan(offset, n) : default;
        float alpha = Alpha, keep = (float)(1 - (double)Alpha), decay = WeightDecay, eps = Eps, momentum = _momentum;
        float negativeLr = -Lr;
        bool centered = Centered;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vAlpha = new Vector<float>(alpha);
            var vKeep = new Vector<float>(keep);
            var vDecay = new Vector<float>(decay);
            var vEps = new Vector<float>(eps);
            var vMomentum = new Vector<float>(momentum);
            var vLr = new Vector<float>(negativeLr);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var p = new Vector<float>(parameters.Slice(i));
                var g = new Vector<float>(gradients.Slice(i)) + vDecay * p;
                var vi = new Vector<float>(v.Slice(i)) * vAlpha + vKeep * g * g;
                vi.CopyTo(v.Slice(i));
                Vector<float> average;
                if (centered)
                {
                    var ai = new Vector<float>(a.Slice(i)) * vAlpha + vKeep * g;
                    ai.CopyTo(a.Slice(i));
                    average = Vector.SquareRoot(vi - ai * ai) + vEps;
                }
                else
                {
                    average = Vector.SquareRoot(vi) + vEps;
                }
                if (withMomentum)
                {
                    var bi = new Vector<float>(b.Slice(i)) * vMomentum + g / average;
                    bi.CopyTo(b.Slice(i));
                    (p + vLr * bi).CopyTo(parameters.Slice(i));
                }
                else
                {
                    (p + vLr * g / average).CopyTo(parameters.Slice(i));
                }
            }
        }
        for (; i < n; i++)
        {
            float p = parameters[i];
            float g = gradients[i] + decay * p;
            float vi = v[i] * alpha + keep * g * g;
            v[i] = vi;
            float average;
            if (centered)
            {
                float ai = a[i] * alpha + keep * g;
                a[i] = ai;
                average = MathF.Sqrt(vi - ai * ai) + eps;
            }
            else
            {
                average = MathF.Sqrt(vi) + eps;
            }
            if (withMomentum)
            {
                float bi = b[i] * momentum + g / average;
                b[i] = bi;
                parameters[i] = p + negativeLr * bi;
            }
            else
            {
                parameters[i] = p + negativeLr * g / average;
            }
        }
    }

    private protected override void AddState(StateDict state)
    {
        state.Add("momentum", (double)_momentum);
        state.Add("square_avg", _squareAvg);
        state.Add("grad_avg", _gradAvg);
        state.Add("momentum_buffer", _momentumBuffer);
    }

    private protected override void CheckState(StateDict state, List<string> problems)
    {
        CheckNumber(state, "momentum", 0, float.MaxValue, problems);
        CheckTensor(state, "square_avg", _squareAvg.Length, problems);
        CheckTensor(state, "grad_avg", _gradAvg.Length, problems);
        // The buffer exists once a momentum above 0 has been used: saved empty or full.
        if (state["momentum_buffer"] is not float[] buffer || (buffer.Length != 0 && buffer.Length != _squareAvg.Length))
        {
            problems.Add($"its momentum_buffer holds {Describe(state["momentum_buffer"])} but the optimizer's holds 0 or {_squareAvg.Length} floats");
        }
    }

    private protected override void LoadState(StateDict state)
    {
        float[] buffer = state.Tensor("momentum_buffer");
        Momentum = (float)state.Number("momentum");
        if (buffer.Length > 0 && _momentumBuffer.Length == 0)
        {
            _momentumBuffer = new float[_squareAvg.Length];
        }
        if (buffer.Length > 0)
        {
            buffer.CopyTo(_momentumBuffer, 0);
        }
        else
        {
            Array.Clear(_momentumBuffer);
        }
        state.Tensor("square_avg").CopyTo(_squareAvg, 0);
        state.Tensor("grad_avg").CopyTo(_gradAvg, 0);
    }
}
