using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CompiledNets.Kernels;

/// <summary>A <see cref="Vector512{T}"/> of 16 floats (AVX-512).</summary>
public readonly struct Simd512 : ISimd<Simd512>
{
    private readonly Vector512<float> _value;

    private Simd512(Vector512<float> value) => _value = value;

    /// <inheritdoc/>
    public static int Registers
    {
        // AVX-512 has 32 vector registers.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => 32;
    }

    /// <inheritdoc/>
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<float>.Count;
    }

    /// <inheritdoc/>
    public static Simd512 Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector512<float>.Zero);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Create(float value) => new(Vector512.Create(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Load(ref float source, int offset) => new(Vector512.LoadUnsafe(ref source, (nuint)offset));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd512 value, ref float destination, int offset) => value._value.StoreUnsafe(ref destination, (nuint)offset);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial(Simd512 value, ref float destination, int offset, int count)
    {
        // Halves while they fit, so a constant count becomes at most four stores.
        if (count >= 8)
        {
            value._value.GetLower().StoreUnsafe(ref destination, (nuint)offset);
            if (count > 8)
            {
                Simd256.StorePartial(Simd256.From(value._value.GetUpper()), ref destination, offset + 8, count - 8);
            }
            return;
        }
        Simd256.StorePartial(Simd256.From(value._value.GetLower()), ref destination, offset, count);
    }

    // An AND with the lane mask, not ConditionalSelect: the JIT makes that a masked blend whose unused operand is a register
    // the previous multiply-add wrote, which chains a dot product's partial step one multiply-add after another.
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 LoadFirst(ref float source, int offset, int count) =>
        new(Vector512.LoadUnsafe(ref source, (nuint)offset) & Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(Simd512 a0, Simd512 a1, Simd512 a2, Simd512 a3, Simd512 a4, Simd512 a5, Simd512 a6, Simd512 a7,
        ref float bias, ref float destination, int count)
        => Simd256.StoreSums(LaneSums.Each(a0._value, a1._value, a2._value, a3._value, a4._value, a5._value, a6._value, a7._value),
            ref bias, ref destination, count);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 MultiplyAdd(Simd512 a, Simd512 b, Simd512 c) => new(Vector512.MultiplyAddEstimate(a._value, b._value, c._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 MultiplyAddLoad(Simd512 a, ref float source, int offset, Simd512 c)
    {
        Vector512<float> b = Vector512.LoadUnsafe(ref source, (nuint)offset);
        return new(Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a._value, b, c._value) : Vector512.MultiplyAddEstimate(a._value, b, c._value));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Simd512 value) => Vector512.Sum(value._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Max(Simd512 a, Simd512 b) => new(Vector512.Max(a._value, b._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Abs(Simd512 value) => new(Vector512.Abs(value._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Exp(Simd512 value) => new(Vector512.Exp(value._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Log(Simd512 value) => new(Vector512.Log(value._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 SelectGreater(Simd512 a, Simd512 b, Simd512 ifTrue, Simd512 ifFalse) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(a._value, b._value), ifTrue._value, ifFalse._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 SelectGreaterOrNaN(Simd512 a, Simd512 b, Simd512 ifTrue, Simd512 ifFalse) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(a._value, b._value) | ~Vector512.Equals(a._value, a._value), ifTrue._value, ifFalse._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadPairs(ref float source, int offset, int count, out Simd512 even, out Simd512 odd)
    {
        Vector512<float> low = Vector512.LoadUnsafe(ref source, (nuint)offset);
        Vector512<float> high = 2 * count > Vector512<float>.Count ? Vector512.LoadUnsafe(ref source, (nuint)offset + 16) : low;
        if (Avx512F.IsSupported)
        {
            // One two-source permute each: lanes 0–15 index low, 16–31 high.
            even = new(Avx512F.PermuteVar16x32x2(low, Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), high));
            odd = new(Avx512F.PermuteVar16x32x2(low, Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), high));
            return;
        }
        Vector512<int> split = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
        Vector512<float> first = Vector512.Shuffle(low, split), second = Vector512.Shuffle(high, split);
        even = new(Vector512.Create(first.GetLower(), second.GetLower()));
        odd = new(Vector512.Create(first.GetUpper(), second.GetUpper()));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePairs(Simd512 even, Simd512 odd, ref float destination, int offset, int count)
    {
        Vector512<float> low, high;
        if (Avx512F.IsSupported)
        {
            // Lanes 0–15 index even, 16–31 odd: e0 o0 e1 o1 … into low, e8 o8 … into high.
            low = Avx512F.PermuteVar16x32x2(even._value, Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23), odd._value);
            high = Avx512F.PermuteVar16x32x2(even._value, Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31), odd._value);
        }
        else
        {
            Simd256.Interleave(even._value.GetLower(), odd._value.GetLower(), out Vector256<float> first, out Vector256<float> second);
            Simd256.Interleave(even._value.GetUpper(), odd._value.GetUpper(), out Vector256<float> third, out Vector256<float> fourth);
            low = Vector512.Create(first, second);
            high = Vector512.Create(third, fourth);
        }
        SimdPairs.Store<Simd512>(new(low), new(high), ref destination, offset, count);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator +(Simd512 a, Simd512 b) => new(a._value + b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator -(Simd512 a, Simd512 b) => new(a._value - b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator *(Simd512 a, Simd512 b) => new(a._value * b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator /(Simd512 a, Simd512 b) => new(a._value / b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator -(Simd512 value) => new(-value._value);

    /// <summary>The lanes, for tests and debugging.</summary>
    public override string ToString() => _value.ToString();
}
