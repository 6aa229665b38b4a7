using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace CompiledNets;

/// <summary>
/// The update <see cref="Adam"/> and <see cref="AdamW"/> share (PyTorch 1.13's <c>_single_tensor_adam</c>); they differ
/// only in how weight decay enters: added to the gradient (Adam, L2) or applied to the parameter first (AdamW, decoupled).
/// <code>
/// AdamW only:  p = p · (1 − lr · weight_decay)
/// Adam only:   g = g + weight_decay · p
/// m = β₁ · m + (1 − β₁) · g
/// v = β₂ · v + (1 − β₂) · g²
/// v̂ = max(v̂, v)                                   (amsgrad: the max of the raw second moment)
/// denom = √v / √(1 − β₂ᵗ) + eps                    (√v̂ with amsgrad; eps after the bias correction)
/// p = p − (lr / (1 − β₁ᵗ)) · m / denom
/// </code>
/// </summary>
public abstract class AdamBase : Optimizer, IMomentumOptimizer
{
    private readonly float[] _expAvg;
    private readonly float[] _expAvgSq;
    private readonly float[] _maxExpAvgSq;
    private readonly bool _decoupled;
    private float _beta1;
    private float _stepSize;
    private float _biasCorrection2Sqrt;

    private protected AdamBase(INetwork network, float lr, float beta1, float beta2, float eps, float weightDecay, bool amsgrad, bool decoupled)
        : base(network, lr)
    {
        CheckBeta(beta1, nameof(beta1));
        CheckBeta(beta2, nameof(beta2));
        CheckNonNegative(eps, nameof(eps), "epsilon");
        CheckNonNegative(weightDecay, nameof(weightDecay), "weight decay");
        _beta1 = beta1;
        InitialBeta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        Amsgrad = amsgrad;
        _decoupled = decoupled;
        _expAvg = new float[network.ParameterCount];
        _expAvgSq = new float[network.ParameterCount];
        _maxExpAvgSq = amsgrad ? new float[network.ParameterCount] : [];
    }

    /// <summary>β₁, the decay of the first moment (PyTorch's <c>betas[0]</c>); <see cref="OneCycleLR"/> cycles it.</summary>
    public float Beta1
    {
        get => _beta1;
        set
        {
            CheckBeta(value, nameof(Beta1));
            _beta1 = value;
        }
    }

    /// <summary>β₁ as the optimizer was created.</summary>
    public float InitialBeta1 { get; }

    /// <summary>β₂, the decay of the second moment (PyTorch's <c>betas[1]</c>).</summary>
    public float Beta2 { get; }

    /// <summary>Added to the bias-corrected √v for numerical stability.</summary>
    public float Eps { get; }

    /// <summary>The weight decay: an L2 term for <see cref="Adam"/>, decoupled for <see cref="AdamW"/>.</summary>
    public float WeightDecay { get; }

    /// <summary>Whether the AMSGrad variant keeps the maximum of the second moment.</summary>
    public bool Amsgrad { get; }

    /// <summary>The first moment m, laid out like the parameters (PyTorch's <c>exp_avg</c>).</summary>
    public ReadOnlySpan<float> ExpAvg => _expAvg;

    /// <summary>The second moment v (PyTorch's <c>exp_avg_sq</c>).</summary>
    public ReadOnlySpan<float> ExpAvgSq => _expAvgSq;

    /// <summary>The running maximum of v with <see cref="Amsgrad"/> (PyTorch's <c>max_exp_avg_sq</c>), else empty.</summary>
    public ReadOnlySpan<float> MaxExpAvgSq => _maxExpAvgSq;

    float IMomentumOptimizer.Momentum
    {
        get => Beta1;
        set => Beta1 = value;
    }

    private protected override string Defaults => string.Create(CultureInfo.InvariantCulture,
        $"{Kind}(lr={InitialLr:R}, betas=({InitialBeta1:R}, {Beta2:R}), eps={Eps:R}, weight_decay={WeightDecay:R}, amsgrad={Amsgrad})");

    private protected override void BeginStep(long step)
    {
        // As PyTorch: Python floats (double) for the bias corrections, used as float32 scalars by the tensor ops.
        double biasCorrection1 = 1 - Math.Pow(_beta1, step);
        double biasCorrection2 = 1 - Math.Pow(Beta2, step);
        _stepSize = (float)(Lr / biasCorrection1);
        _biasCorrection2Sqrt = (float)Math.Sqrt(biasCorrection2);
    }

    // The hot loop of every training step: fully optimized from its first call, not after tiering up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset)
    {
        int n = parameters.Length;
        Span<float> m = _expAvg.AsSpan(offset, n), v = _expAvgSq.AsSpan(offset, n);
        Span<float> vMax = Amsgrad ? _maxExpAvgSq.AsSpan(offset, n) : default;
        float beta1 = _beta1, keep1 = (float)(1 - (double)_beta1), beta2 = Beta2, keep2 = (float)(1 - (double)Beta2);
        float decay = _decoupled ? 0f : WeightDecay;
        float shrink = _decoupled ? (float)(1 - (double)Lr * WeightDecay) : 1f;
        float negativeStep = -_stepSize, correction = _biasCorrection2Sqrt, eps = Eps;
        bool amsgrad = Amsgrad;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vBeta1 = new Vector<float>(beta1);
            var vKeep1 = new Vector<float>(keep1);
            var vBeta2 = new Vector<float>(beta2);
            var vKeep2 = new Vector<float>(keep2);
            var vDecay = new Vector<float>(decay);
            var vShrink = new Vector<float>(shrink);
            var vStep = new Vector<float>(negativeStep);
            var vCorrection = new Vector<float>(correction);
            var vEps = new Vector<float>(eps);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var p = new Vector<float>(parameters.Slice(i)) * vShrink;
                var g = new Vector<float>(gradients.Slice(i)) + vDecay * p;
                var mi = new Vector<float>(m.Slice(i)) * vBeta1 + vKeep1 * g;
                var vi = new Vector<float>(v.Slice(i)) * vBeta2 + vKeep2 * g * g;
                mi.CopyTo(m.Slice(i));
                vi.CopyTo(v.Slice(i));
                if (amsgrad)
                {
                    vi = Vector.Max(new Vector<float>(vMax.Slice(i)), vi);
                    vi.CopyTo(vMax.Slice(i));
                }
                var denominator = Vector.SquareRoot(vi) / vCorrection + vEps;
                (p + vStep * mi / denominator).CopyTo(parameters.Slice(i));
            }
        }
        for (; i < n; i++)
        {
            float p = parameters[i] * shrink;
            float g = gradients[i] + decay * p;
            float mi = m[i] * beta1 + keep1 * g;
            float vi = v[i] * beta2 + keep2 * g * g;
            m[i] = mi;
            v[i] = vi;
            if (amsgrad)
            {
                vi = MathF.Max(vMax[i], vi);
                vMax[i] = vi;
            }
            float denominator = MathF.Sqrt(vi) / correction + eps;
            parameters[i] = p + negativeStep * mi / denominator;
        }
    }

    private protected override void AddState(StateDict state)
    {
        state.Add("beta1", (double)_beta1);
        state.Add("exp_avg", _expAvg);
        state.Add("exp_avg_sq", _expAvgSq);
        state.Add("max_exp_avg_sq", _maxExpAvgSq);
    }

    private protected override void CheckState(StateDict state, List<string> problems)
    {
        CheckNumber(state, "beta1", 0, 0.99999999, problems);
        CheckTensor(state, "exp_avg", _expAvg.Length, problems);
        CheckTensor(state, "exp_avg_sq", _expAvgSq.Length, problems);
        CheckTensor(state, "max_exp_avg_sq", _maxExpAvgSq.Length, problems);
    }

    private protected override void LoadState(StateDict state)
    {
        _beta1 = (float)state.Number("beta1");
        state.Tensor("exp_avg").CopyTo(_expAvg, 0);
        state.Tensor("exp_avg_sq").CopyTo(_expAvgSq, 0);
        state.Tensor("max_exp_avg_sq").CopyTo(_maxExpAvgSq, 0);
    }
}
