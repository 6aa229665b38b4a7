using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CompiledNets.Kernels;

/// <summary>A <see cref="Vector256{T}"/> of 8 floats (AVX2, or AVX-512 hardware running 256-bit code).</summary>
public readonly struct Simd256 : ISimd<Simd256>
{
    private readonly Vector256<float> _value;

    private Simd256(Vector256<float> value) => _value = value;

    /// <inheritdoc/>
    public static int Registers
    {
        // 256-bit code on AVX-512 hardware (Vector512 not accelerated) still has its 32 registers; AVX2 has 16.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => System.Runtime.Intrinsics.X86.Avx512F.VL.IsSupported ? 32 : 16;
    }

    /// <inheritdoc/>
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<float>.Count;
    }

    /// <inheritdoc/>
    public static Simd256 Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector256<float>.Zero);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Create(float value) => new(Vector256.Create(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Load(ref float source, int offset) => new(Vector256.LoadUnsafe(ref source, (nuint)offset));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd256 value, ref float destination, int offset) => value._value.StoreUnsafe(ref destination, (nuint)offset);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial(Simd256 value, ref float destination, int offset, int count)
    {
        if (count >= 4)
        {
            value._value.GetLower().StoreUnsafe(ref destination, (nuint)offset);
            if (count > 4)
            {
                Simd128.StorePartial(Simd128.From(value._value.GetUpper()), ref destination, offset + 4, count - 4);
            }
            return;
        }
        Simd128.StorePartial(Simd128.From(value._value.GetLower()), ref destination, offset, count);
    }

    // An AND with the lane mask, not ConditionalSelect: the JIT makes that a masked blend whose unused operand is a register
    // the previous multiply-add wrote, which chains a dot product's partial step one multiply-add after another.
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 LoadFirst(ref float source, int offset, int count) =>
        new(Vector256.LoadUnsafe(ref source, (nuint)offset) & Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(Simd256 a0, Simd256 a1, Simd256 a2, Simd256 a3, Simd256 a4, Simd256 a5, Simd256 a6, Simd256 a7,
        ref float bias, ref float destination, int count)
        => StoreSums(LaneSums.Each(a0._value, a1._value, a2._value, a3._value, a4._value, a5._value, a6._value, a7._value),
            ref bias, ref destination, count);

    /// <summary>Writes <c>bias[k] + sums[k]</c> for the first <paramref name="count"/> of eight sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreSums(Vector256<float> sums, ref float bias, ref float destination, int count)
    {
        sums = Vector256.LoadUnsafe(ref bias) + sums;
        if (count == 8)
        {
            sums.StoreUnsafe(ref destination);
            return;
        }
        StorePartial(new(sums), ref destination, 0, count);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 MultiplyAdd(Simd256 a, Simd256 b, Simd256 c) => new(Vector256.MultiplyAddEstimate(a._value, b._value, c._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 MultiplyAddLoad(Simd256 a, ref float source, int offset, Simd256 c)
    {
        Vector256<float> b = Vector256.LoadUnsafe(ref source, (nuint)offset);
        return new(Fma.IsSupported ? Fma.MultiplyAdd(a._value, b, c._value) : Vector256.MultiplyAddEstimate(a._value, b, c._value));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Simd256 value) => Vector256.Sum(value._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Max(Simd256 a, Simd256 b) => new(Vector256.Max(a._value, b._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Abs(Simd256 value) => new(Vector256.Abs(value._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Exp(Simd256 value) => new(Vector256.Exp(value._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Log(Simd256 value) => new(Vector256.Log(value._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 SelectGreater(Simd256 a, Simd256 b, Simd256 ifTrue, Simd256 ifFalse) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(a._value, b._value), ifTrue._value, ifFalse._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 SelectGreaterOrNaN(Simd256 a, Simd256 b, Simd256 ifTrue, Simd256 ifFalse) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(a._value, b._value) | ~Vector256.Equals(a._value, a._value), ifTrue._value, ifFalse._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadPairs(ref float source, int offset, int count, out Simd256 even, out Simd256 odd)
    {
        Vector256<float> low = Vector256.LoadUnsafe(ref source, (nuint)offset);
        Vector256<float> high = 2 * count > Vector256<float>.Count ? Vector256.LoadUnsafe(ref source, (nuint)offset + 8) : low;
        // Each vector's even floats to its lower half, odd to its upper (one permute), then the halves side by side.
        Vector256<int> split = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        Vector256<float> first = Vector256.Shuffle(low, split), second = Vector256.Shuffle(high, split);
        even = new(Vector256.Create(first.GetLower(), second.GetLower()));
        odd = new(Vector256.Create(first.GetUpper(), second.GetUpper()));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePairs(Simd256 even, Simd256 odd, ref float destination, int offset, int count)
    {
        Interleave(even._value, odd._value, out Vector256<float> low, out Vector256<float> high);
        SimdPairs.Store<Simd256>(new(low), new(high), ref destination, offset, count);
    }

    /// <summary>e0 o0 e1 o1 … e3 o3 into <paramref name="low"/>, e4 o4 … e7 o7 into <paramref name="high"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Interleave(Vector256<float> even, Vector256<float> odd, out Vector256<float> low, out Vector256<float> high)
    {
        if (Avx.IsSupported)
        {
            // Within each 128-bit half, then the halves put in order.
            Vector256<float> first = Avx.UnpackLow(even, odd), second = Avx.UnpackHigh(even, odd);
            low = Avx.Permute2x128(first, second, 0x20);
            high = Avx.Permute2x128(first, second, 0x31);
            return;
        }
        Simd128.Interleave(even.GetLower(), odd.GetLower(), out Vector128<float> a, out Vector128<float> b);
        Simd128.Interleave(even.GetUpper(), odd.GetUpper(), out Vector128<float> c, out Vector128<float> d);
        low = Vector256.Create(a, b);
        high = Vector256.Create(c, d);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator +(Simd256 a, Simd256 b) => new(a._value + b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator -(Simd256 a, Simd256 b) => new(a._value - b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator *(Simd256 a, Simd256 b) => new(a._value * b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator /(Simd256 a, Simd256 b) => new(a._value / b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator -(Simd256 value) => new(-value._value);

    internal static Simd256 From(Vector256<float> value) => new(value);


    /// <summary>The lanes, for tests and debugging.</summary>
    public override string ToString() => _value.ToString();
}
