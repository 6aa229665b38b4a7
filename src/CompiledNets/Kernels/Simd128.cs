using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace CompiledNets.Kernels;

/// <summary>A <see cref="Vector128{T}"/> of 4 floats (SSE, or NEON on Arm).</summary>
public readonly struct Simd128 : ISimd<Simd128>
{
    private readonly Vector128<float> _value;

    private Simd128(Vector128<float> value) => _value = value;

    /// <inheritdoc/>
    public static int Registers
    {
        // NEON on Arm64 has 32 vector registers, as has 128-bit code on AVX-512 hardware; SSE has 16.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported || System.Runtime.Intrinsics.X86.Avx512F.VL.IsSupported ? 32 : 16;
    }

    /// <inheritdoc/>
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128<float>.Count;
    }

    /// <inheritdoc/>
    public static Simd128 Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector128<float>.Zero);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Create(float value) => new(Vector128.Create(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Load(ref float source, int offset) => new(Vector128.LoadUnsafe(ref source, (nuint)offset));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd128 value, ref float destination, int offset) => value._value.StoreUnsafe(ref destination, (nuint)offset);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial(Simd128 value, ref float destination, int offset, int count)
    {
        Unsafe.Add(ref destination, offset) = value._value.GetElement(0);
        if (count > 1)
        {
            Unsafe.Add(ref destination, offset + 1) = value._value.GetElement(1);
        }
        if (count > 2)
        {
            Unsafe.Add(ref destination, offset + 2) = value._value.GetElement(2);
        }
    }

    // An AND with the lane mask, not ConditionalSelect: the JIT makes that a masked blend whose unused operand is a register
    // the previous multiply-add wrote, which chains a dot product's partial step one multiply-add after another.
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 LoadFirst(ref float source, int offset, int count) =>
        new(Vector128.LoadUnsafe(ref source, (nuint)offset) & Vector128.LessThan(Vector128<int>.Indices, Vector128.Create(count)).AsSingle());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(Simd128 a0, Simd128 a1, Simd128 a2, Simd128 a3, Simd128 a4, Simd128 a5, Simd128 a6, Simd128 a7,
        ref float bias, ref float destination, int count)
    {
        Vector128<float> low = Vector128.LoadUnsafe(ref bias) + LaneSums.Each(a0._value, a1._value, a2._value, a3._value);
        if (count < 4)
        {
            StorePartial(new(low), ref destination, 0, count);
            return;
        }
        low.StoreUnsafe(ref destination);
        if (count > 4)
        {
            Vector128<float> high = Vector128.LoadUnsafe(ref bias, 4) + LaneSums.Each(a4._value, a5._value, a6._value, a7._value);
            if (count == 8)
            {
                high.StoreUnsafe(ref destination, 4);
                return;
            }
            StorePartial(new(high), ref destination, 4, count - 4);
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 MultiplyAdd(Simd128 a, Simd128 b, Simd128 c) => new(Vector128.MultiplyAddEstimate(a._value, b._value, c._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 MultiplyAddLoad(Simd128 a, ref float source, int offset, Simd128 c)
    {
        Vector128<float> b = Vector128.LoadUnsafe(ref source, (nuint)offset);
        return new(Fma.IsSupported ? Fma.MultiplyAdd(a._value, b, c._value) : Vector128.MultiplyAddEstimate(a._value, b, c._value));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Simd128 value) => Vector128.Sum(value._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Max(Simd128 a, Simd128 b) => new(Vector128.Max(a._value, b._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Abs(Simd128 value) => new(Vector128.Abs(value._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Exp(Simd128 value) => new(Vector128.Exp(value._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Log(Simd128 value) => new(Vector128.Log(value._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 SelectGreater(Simd128 a, Simd128 b, Simd128 ifTrue, Simd128 ifFalse) =>
        new(Vector128.ConditionalSelect(Vector128.GreaterThan(a._value, b._value), ifTrue._value, ifFalse._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 SelectGreaterOrNaN(Simd128 a, Simd128 b, Simd128 ifTrue, Simd128 ifFalse) =>
        new(Vector128.ConditionalSelect(Vector128.GreaterThan(a._value, b._value) | ~Vector128.Equals(a._value, a._value), ifTrue._value, ifFalse._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadPairs(ref float source, int offset, int count, out Simd128 even, out Simd128 odd)
    {
        Vector128<float> low = Vector128.LoadUnsafe(ref source, (nuint)offset);
        Vector128<float> high = 2 * count > Vector128<float>.Count ? Vector128.LoadUnsafe(ref source, (nuint)offset + 4) : low;
        if (Sse.IsSupported)
        {
            // shufps takes two lanes from each source: 0, 2 (0b10_00) or 1, 3 (0b11_01).
            even = new(Sse.Shuffle(low, high, 0b10_00_10_00));
            odd = new(Sse.Shuffle(low, high, 0b11_01_11_01));
            return;
        }
        if (AdvSimd.Arm64.IsSupported)
        {
            even = new(AdvSimd.Arm64.UnzipEven(low, high));
            odd = new(AdvSimd.Arm64.UnzipOdd(low, high));
            return;
        }
        Vector128<int> split = Vector128.Create(0, 2, 1, 3);
        Vector128<float> first = Vector128.Shuffle(low, split), second = Vector128.Shuffle(high, split);
        even = new(Vector128.Create(first.GetLower(), second.GetLower()));
        odd = new(Vector128.Create(first.GetUpper(), second.GetUpper()));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePairs(Simd128 even, Simd128 odd, ref float destination, int offset, int count)
    {
        Interleave(even._value, odd._value, out Vector128<float> low, out Vector128<float> high);
        SimdPairs.Store<Simd128>(new(low), new(high), ref destination, offset, count);
    }

    /// <summary>e0 o0 e1 o1 into <paramref name="low"/>, e2 o2 e3 o3 into <paramref name="high"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Interleave(Vector128<float> even, Vector128<float> odd, out Vector128<float> low, out Vector128<float> high)
    {
        if (Sse.IsSupported)
        {
            low = Sse.UnpackLow(even, odd);
            high = Sse.UnpackHigh(even, odd);
            return;
        }
        if (AdvSimd.Arm64.IsSupported)
        {
            low = AdvSimd.Arm64.ZipLow(even, odd);
            high = AdvSimd.Arm64.ZipHigh(even, odd);
            return;
        }
        low = Vector128.Create(even.GetElement(0), odd.GetElement(0), even.GetElement(1), odd.GetElement(1));
        high = Vector128.Create(even.GetElement(2), odd.GetElement(2), even.GetElement(3), odd.GetElement(3));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator +(Simd128 a, Simd128 b) => new(a._value + b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator -(Simd128 a, Simd128 b) => new(a._value - b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator *(Simd128 a, Simd128 b) => new(a._value * b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator /(Simd128 a, Simd128 b) => new(a._value / b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator -(Simd128 value) => new(-value._value);

    internal static Simd128 From(Vector128<float> value) => new(value);

    /// <summary>The lanes, for tests and debugging.</summary>
    public override string ToString() => _value.ToString();
}
