using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CompiledNets;

/// <summary>
/// The exponential and logarithm of the cross-entropy loss, over whole spans: single-precision polynomials (Cephes'
/// <c>expf</c> and <c>logf</c>, within 2 ulp at every point the tests sample) in hardware vectors, their multiply-adds fused
/// where the CPU has FMA and a multiply then an add where it does not, as the kernels' (the same bits in a browser and in a
/// console without AVX). .NET's <c>Vector512.Exp</c> and <c>Vector512.Log</c>
/// widen to double: they took about 170 ns of the 380 a 32-row, 2-class loss took.
/// </summary>
/// <remarks>
/// The floats after the last whole vector, and every float where vectors are not accelerated, go through <c>MathF</c>
/// (as accurate; the polynomial's long chain of dependent operations would be slower for the few floats of a batch of one),
/// so a float's last bit may depend on where it falls in the span.
/// NaN gives NaN, e^x underflows through the subnormals to 0 and overflows to ∞, and ln gives −∞ at 0 and NaN below it, as
/// <c>MathF</c>'s do.
/// </remarks>
internal static class VectorMath
{
    /// <summary><c>values[i] = e^values[i]</c>, in place.</summary>
    public static void Exp(Span<float> values) => Apply<ExpOperation>(values);

    /// <summary><c>values[i] = ln values[i]</c>, in place.</summary>
    public static void Log(Span<float> values) => Apply<LogOperation>(values);

    private interface IOperation
    {
        static abstract Vector<float> Apply(Vector<float> value);

        static abstract float Apply(float value);
    }

    private readonly struct ExpOperation : IOperation
    {
        public static Vector<float> Apply(Vector<float> value) => Exp(value);

        public static float Apply(float value) => MathF.Exp(value);
    }

    private readonly struct LogOperation : IOperation
    {
        public static Vector<float> Apply(Vector<float> value) => Log(value);

        public static float Apply(float value) => MathF.Log(value);
    }

    /// <summary>Whole vectors, then the last floats one at a time.</summary>
    // Part of every training step: fully optimized from its first call, not after tiering up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Apply<TOperation>(Span<float> values)
        where TOperation : IOperation
    {
        ref float first = ref MemoryMarshal.GetReference(values);
        int i = 0;
        for (; Vector.IsHardwareAccelerated && i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            ref float at = ref Unsafe.Add(ref first, i);
            TOperation.Apply(Vector.LoadUnsafe(ref at)).StoreUnsafe(ref at);
        }
        // The last floats, fewer than a vector, one at a time.
        for (; i < values.Length; i++)
        {
            ref float at = ref Unsafe.Add(ref first, i);
            at = TOperation.Apply(at);
        }
    }

    // The smallest normal float, 2^−126.
    private const float SmallestNormal = 1.17549435e-38f;

    // ln 2 in two parts: n · Ln2High is exact for the n that occur, so x − n·ln 2 loses nothing.
    private const float Ln2High = 0.693359375f, Ln2Low = -2.12194440e-4f;

    /// <summary>
    /// e^x = 2^n · e^r with n = round(x / ln 2) and |r| ≤ ln 2 / 2, e^r = 1 + r + r² · P(r) (Cephes' degree-5 P). 2^n is
    /// applied as two powers of two of about n/2 each, so results in the subnormal range round once, at the last multiply.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x)
    {
        // Below −104 every result is 0, above 89 every result ∞: clamped so n stays small (NaN passes through the selects).
        Vector<float> low = new(-104f), high = new(89f);
        Vector<float> clamped = Vector.ConditionalSelect(Vector.LessThan(x, low), low, Vector.ConditionalSelect(Vector.GreaterThan(x, high), high, x));
        Vector<float> n = Vector.Round(clamped * new Vector<float>(1.44269504088896341f));
        Vector<float> r = Vector.MultiplyAddEstimate(n, new Vector<float>(-Ln2High), clamped);
        r = Vector.MultiplyAddEstimate(n, new Vector<float>(-Ln2Low), r);
        Vector<float> p = new(1.9875691500e-4f);
        p = Vector.MultiplyAddEstimate(p, r, new Vector<float>(1.3981999507e-3f));
        p = Vector.MultiplyAddEstimate(p, r, new Vector<float>(8.3334519073e-3f));
        p = Vector.MultiplyAddEstimate(p, r, new Vector<float>(4.1665795894e-2f));
        p = Vector.MultiplyAddEstimate(p, r, new Vector<float>(1.6666665459e-1f));
        p = Vector.MultiplyAddEstimate(p, r, new Vector<float>(5.0000001201e-1f));
        Vector<float> y = Vector.MultiplyAddEstimate(p, r * r, r) + Vector<float>.One;
        Vector<int> k = Vector.ConvertToInt32(n);
        Vector<int> half = Vector.ShiftRightArithmetic(k, 1);
        Vector<float> result = y * PowerOfTwo(half) * PowerOfTwo(k - half);
        return Vector.ConditionalSelect(Vector.Equals(x, x), result, x);
    }

    /// <summary>2^k for −126 ≤ k ≤ 127, built in the exponent bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> PowerOfTwo(Vector<int> k) => Vector.AsVectorSingle(Vector.ShiftLeft(k + new Vector<int>(127), 23));

    /// <summary>
    /// ln x = e · ln 2 + ln(1 + f) with x = (1 + f) · 2^e, √½ ≤ 1 + f &lt; √2, and ln(1 + f) = f − f²/2 + f³ · P(f) (Cephes'
    /// degree-8 P). Subnormals are scaled into the normal range first; 0 gives −∞, ∞ gives ∞, negatives and NaN give NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log(Vector<float> x)
    {
        Vector<int> subnormal = Vector.LessThan(x, new Vector<float>(SmallestNormal));
        Vector<float> scaled = Vector.ConditionalSelect(subnormal, x * new Vector<float>(8388608f), x);
        Vector<int> bits = Vector.AsVectorInt32(scaled);
        // The exponent of a mantissa in [0.5, 1), less 23 for the scaled subnormals.
        Vector<int> exponent = Vector.ShiftRightLogical(bits, 23) - new Vector<int>(126) + (subnormal & new Vector<int>(-23));
        Vector<float> mantissa = Vector.AsVectorSingle((bits & new Vector<int>(0x007fffff)) | new Vector<int>(0x3f000000));
        // Below √½ the mantissa doubles and the exponent drops by one, so 1 + f lies in [√½, √2).
        Vector<int> below = Vector.LessThan(mantissa, new Vector<float>(0.707106781186547524f));
        Vector<float> e = Vector.ConvertToSingle(exponent + below);
        Vector<float> f = Vector.ConditionalSelect(below, mantissa + mantissa, mantissa) - Vector<float>.One;
        Vector<float> z = f * f;
        Vector<float> p = new(7.0376836292e-2f);
        p = Vector.MultiplyAddEstimate(p, f, new Vector<float>(-1.1514610310e-1f));
        p = Vector.MultiplyAddEstimate(p, f, new Vector<float>(1.1676998740e-1f));
        p = Vector.MultiplyAddEstimate(p, f, new Vector<float>(-1.2420140846e-1f));
        p = Vector.MultiplyAddEstimate(p, f, new Vector<float>(1.4249322787e-1f));
        p = Vector.MultiplyAddEstimate(p, f, new Vector<float>(-1.6668057665e-1f));
        p = Vector.MultiplyAddEstimate(p, f, new Vector<float>(2.0000714765e-1f));
        p = Vector.MultiplyAddEstimate(p, f, new Vector<float>(-2.4999993993e-1f));
        p = Vector.MultiplyAddEstimate(p, f, new Vector<float>(3.3333331174e-1f));
        Vector<float> y = p * f * z;
        y = Vector.MultiplyAddEstimate(e, new Vector<float>(Ln2Low), y);
        y = Vector.MultiplyAddEstimate(z, new Vector<float>(-0.5f), y);
        Vector<float> result = Vector.MultiplyAddEstimate(e, new Vector<float>(Ln2High), f + y);
        result = Vector.ConditionalSelect(Vector.Equals(x, new Vector<float>(float.PositiveInfinity)), x, result);
        result = Vector.ConditionalSelect(Vector.Equals(x, Vector<float>.Zero), new Vector<float>(float.NegativeInfinity), result);
        // Negatives and NaN (every comparison false): NaN.
        return Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<float>.Zero), result, new Vector<float>(float.NaN));
    }
}
