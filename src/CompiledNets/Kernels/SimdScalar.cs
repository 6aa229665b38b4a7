using System;
using System.Runtime.CompilerServices;

namespace CompiledNets.Kernels;

/// <summary>
/// One float treated as a vector of one lane: machines without SIMD (or with it turned off by
/// <c>DOTNET_EnableHWIntrinsic=0</c>) run the same kernels with this type.
/// </summary>
/// <remarks>
/// <see cref="MultiplyAdd"/> multiplies then adds (two roundings), as plain C# does, so the scalar path
/// computes what a straightforward loop would.
/// </remarks>
public readonly struct SimdScalar : ISimd<SimdScalar>
{
    private readonly float _value;

    private SimdScalar(float value) => _value = value;

    /// <inheritdoc/>
    public static int Registers
    {
        // Floats live in the vector registers too; tiles sized for 16 fit every machine.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => 16;
    }

    /// <inheritdoc/>
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => 1;
    }

    /// <inheritdoc/>
    public static SimdScalar Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => default;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar Create(float value) => new(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar Load(ref float source, int offset) => new(Unsafe.Add(ref source, offset));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(SimdScalar value, ref float destination, int offset) => Unsafe.Add(ref destination, offset) = value._value;

    /// <inheritdoc/>
    /// <remarks>A one-lane vector is never partial; kernels never call this for the scalar width.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial(SimdScalar value, ref float destination, int offset, int count)
    {
        if (count > 0)
        {
            Unsafe.Add(ref destination, offset) = value._value;
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar LoadFirst(ref float source, int offset, int count) => new(Unsafe.Add(ref source, offset));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(SimdScalar a0, SimdScalar a1, SimdScalar a2, SimdScalar a3, SimdScalar a4, SimdScalar a5, SimdScalar a6, SimdScalar a7,
        ref float bias, ref float destination, int count)
    {
        // One lane: each sum is the accumulator itself.
        destination = bias + a0._value;
        if (count > 1) Unsafe.Add(ref destination, 1) = Unsafe.Add(ref bias, 1) + a1._value;
        if (count > 2) Unsafe.Add(ref destination, 2) = Unsafe.Add(ref bias, 2) + a2._value;
        if (count > 3) Unsafe.Add(ref destination, 3) = Unsafe.Add(ref bias, 3) + a3._value;
        if (count > 4) Unsafe.Add(ref destination, 4) = Unsafe.Add(ref bias, 4) + a4._value;
        if (count > 5) Unsafe.Add(ref destination, 5) = Unsafe.Add(ref bias, 5) + a5._value;
        if (count > 6) Unsafe.Add(ref destination, 6) = Unsafe.Add(ref bias, 6) + a6._value;
        if (count > 7) Unsafe.Add(ref destination, 7) = Unsafe.Add(ref bias, 7) + a7._value;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar MultiplyAdd(SimdScalar a, SimdScalar b, SimdScalar c) => new(a._value * b._value + c._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar MultiplyAddLoad(SimdScalar a, ref float source, int offset, SimdScalar c) =>
        new(a._value * Unsafe.Add(ref source, offset) + c._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(SimdScalar value) => value._value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar Max(SimdScalar a, SimdScalar b) => new(MathF.Max(a._value, b._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar Abs(SimdScalar value) => new(MathF.Abs(value._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar Exp(SimdScalar value) => new(MathF.Exp(value._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar Log(SimdScalar value) => new(MathF.Log(value._value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar SelectGreater(SimdScalar a, SimdScalar b, SimdScalar ifTrue, SimdScalar ifFalse) =>
        a._value > b._value ? ifTrue : ifFalse;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar SelectGreaterOrNaN(SimdScalar a, SimdScalar b, SimdScalar ifTrue, SimdScalar ifFalse) =>
        a._value > b._value || float.IsNaN(a._value) ? ifTrue : ifFalse;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadPairs(ref float source, int offset, int count, out SimdScalar even, out SimdScalar odd)
    {
        even = new(Unsafe.Add(ref source, offset));
        odd = new(Unsafe.Add(ref source, offset + 1));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePairs(SimdScalar even, SimdScalar odd, ref float destination, int offset, int count)
    {
        Unsafe.Add(ref destination, offset) = even._value;
        Unsafe.Add(ref destination, offset + 1) = odd._value;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar operator +(SimdScalar a, SimdScalar b) => new(a._value + b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar operator -(SimdScalar a, SimdScalar b) => new(a._value - b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar operator *(SimdScalar a, SimdScalar b) => new(a._value * b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar operator /(SimdScalar a, SimdScalar b) => new(a._value / b._value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar operator -(SimdScalar value) => new(-value._value);

    /// <summary>The value, for tests and debugging.</summary>
    public override string ToString() => _value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
