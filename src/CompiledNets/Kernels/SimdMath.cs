using System;
using System.Runtime.CompilerServices;

namespace CompiledNets.Kernels;

/// <summary>
/// Functions the generated activations need that a vector type does not have, written once over
/// <see cref="ISimd{TSelf}"/> with a scalar twin that computes the same formula in the same order.
/// </summary>
public static class SimdMath
{
    // 1/√2 and 1/√(2π), rounded to float.
    private const float InverseSqrt2 = 0.70710678f;
    private const float InverseSqrt2Pi = 0.39894228f;

    /// <summary>The logistic sigmoid, <c>σ(x) = 1 / (1 + e^(−x))</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Sigmoid<TVector>(TVector x)
        where TVector : unmanaged, ISimd<TVector> =>
        TVector.Create(1f) / (TVector.Create(1f) + TVector.Exp(-x));

    /// <inheritdoc cref="Sigmoid{TVector}(TVector)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>The hyperbolic tangent.</summary>
    /// <remarks>
    /// Below |x| = 0.3 its Maclaurin series to x¹¹ (the first term left out is below 1e-9 of the result there), above it
    /// <c>sign(x) · (1 − 2 / (e^(2|x|) + 1))</c>, which saturates to ±1 instead of dividing infinities.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Tanh<TVector>(TVector x)
        where TVector : unmanaged, ISimd<TVector>
    {
        TVector a = TVector.Abs(x);
        TVector x2 = x * x;
        TVector p = TVector.Create(-1382f / 155925f);
        p = TVector.MultiplyAdd(p, x2, TVector.Create(62f / 2835f));
        p = TVector.MultiplyAdd(p, x2, TVector.Create(-17f / 315f));
        p = TVector.MultiplyAdd(p, x2, TVector.Create(2f / 15f));
        p = TVector.MultiplyAdd(p, x2, TVector.Create(-1f / 3f));
        TVector series = TVector.MultiplyAdd(p * x2, x, x);
        TVector saturated = TVector.Create(1f) - TVector.Create(2f) / (TVector.Exp(a + a) + TVector.Create(1f));
        TVector signed = TVector.SelectGreater(TVector.Zero, x, -saturated, saturated);
        return TVector.SelectGreater(TVector.Create(0.3f), a, series, signed);
    }

    /// <summary>
    /// The standard normal distribution function <c>Φ(x) = (1 + erf(x/√2)) / 2</c>, which exact GELU
    /// multiplies by x.
    /// </summary>
    /// <remarks>
    /// Computed as <c>erfc(|x|/√2) / 2</c> for negative x and <c>1 − erfc(|x|/√2) / 2</c> otherwise, so the
    /// left tail keeps its relative precision instead of cancelling in <c>1 + erf</c>. erfc is the Chebyshev
    /// fit of Numerical Recipes (§6.2, <c>erfcc</c>): <c>erfc(z) = t·exp(−z² + P(t))</c>, <c>t = 1/(1 + z/2)</c>,
    /// fractional error below 1.2·10⁻⁷ for every z ≥ 0.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector NormalCdf<TVector>(TVector x)
        where TVector : unmanaged, ISimd<TVector>
    {
        TVector half = TVector.Create(0.5f);
        TVector z = TVector.Abs(x) * TVector.Create(InverseSqrt2);
        TVector t = TVector.Create(1f) / (TVector.Create(1f) + half * z);
        TVector p = TVector.Create(0.17087277f);
        p = TVector.MultiplyAdd(p, t, TVector.Create(-0.82215223f));
        p = TVector.MultiplyAdd(p, t, TVector.Create(1.48851587f));
        p = TVector.MultiplyAdd(p, t, TVector.Create(-1.13520398f));
        p = TVector.MultiplyAdd(p, t, TVector.Create(0.27886807f));
        p = TVector.MultiplyAdd(p, t, TVector.Create(-0.18628806f));
        p = TVector.MultiplyAdd(p, t, TVector.Create(0.09678418f));
        p = TVector.MultiplyAdd(p, t, TVector.Create(0.37409196f));
        p = TVector.MultiplyAdd(p, t, TVector.Create(1.00002368f));
        p = TVector.MultiplyAdd(p, t, TVector.Create(-1.26551223f));
        TVector tail = half * t * TVector.Exp(p - z * z);
        return TVector.SelectGreater(TVector.Zero, x, tail, TVector.Create(1f) - tail);
    }

    /// <inheritdoc cref="NormalCdf{TVector}(TVector)"/>
    /// <remarks>The one-lane form: <see cref="SimdScalar"/> does each operation as plain float arithmetic, so this is the same formula in the same order.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float NormalCdf(float x) => SimdScalar.Sum(NormalCdf(SimdScalar.Create(x)));

    /// <summary>The standard normal density <c>φ(x) = e^(−x²/2) / √(2π)</c>, GELU's derivative's second term.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector NormalPdf<TVector>(TVector x)
        where TVector : unmanaged, ISimd<TVector> =>
        TVector.Create(InverseSqrt2Pi) * TVector.Exp(x * x * TVector.Create(-0.5f));

    /// <inheritdoc cref="NormalPdf{TVector}(TVector)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float NormalPdf(float x) => InverseSqrt2Pi * MathF.Exp(x * x * -0.5f);
}
