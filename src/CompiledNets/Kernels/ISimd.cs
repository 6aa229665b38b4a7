namespace CompiledNets.Kernels;

/// <summary>
/// One hardware vector of floats, as generated kernels see it: the kernels are written once, generic over
/// <typeparamref name="TSelf"/>, and the JIT compiles one copy per width it is called with, in which
/// <see cref="Count"/> is a constant, so every loop bound and offset derived from it is one too.
/// </summary>
/// <remarks>
/// <para>The implementations are <see cref="Simd512"/>, <see cref="Simd256"/>, <see cref="Simd128"/> and
/// <see cref="SimdScalar"/>; a generated network calls its kernels with the widest one the machine
/// accelerates (<c>Vector512.IsHardwareAccelerated</c> and so on), so AVX-512, AVX2, SSE, NEON and
/// machines without SIMD each run the same kernel text.</para>
/// <para>.NET 10's own <c>ISimdVector</c> is internal, which is why the runtime has this small copy of
/// the idea: only the operations the generated kernels use, each one instruction or a short sequence.</para>
/// </remarks>
/// <typeparam name="TSelf">The implementing vector type.</typeparam>
public interface ISimd<TSelf>
    where TSelf : unmanaged, ISimd<TSelf>
{
    /// <summary>Floats per vector: 16, 8, 4 or 1.</summary>
    static abstract int Count { get; }

    /// <summary>
    /// Vector registers the JIT can give a kernel: 32 with AVX-512 or on Arm64, 16 with AVX2 or SSE on x64. Kernels size
    /// their register tiles by it (a constant once compiled, so the JIT keeps only the tiles that fit).
    /// </summary>
    static abstract int Registers { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TSelf Create(float value);

    /// <summary>Reads <see cref="Count"/> floats starting <paramref name="offset"/> floats after <paramref name="source"/>.</summary>
    static abstract TSelf Load(ref float source, int offset);

    /// <summary>Writes all lanes starting <paramref name="offset"/> floats after <paramref name="destination"/>.</summary>
    static abstract void Store(TSelf value, ref float destination, int offset);

    /// <summary>
    /// Writes only the first <paramref name="count"/> lanes (0 &lt; count &lt; <see cref="Count"/>): the last,
    /// partial vector of a row, whose remaining lanes belong to the next row or the next tensor. Kernels pass
    /// a constant, so the JIT keeps only the stores that count needs.
    /// </summary>
    static abstract void StorePartial(TSelf value, ref float destination, int offset, int count);

    /// <summary>
    /// Reads a whole vector and keeps only its first <paramref name="count"/> lanes (0 &lt; count ≤ <see cref="Count"/>),
    /// zero in the rest: the last, partial vector of a row, whose remaining lanes (the next row's, another tensor's or
    /// padding) must not count, whatever they hold. The whole vector must be readable: buffers end in padding.
    /// </summary>
    static abstract TSelf LoadFirst(ref float source, int offset, int count);

    /// <summary>
    /// Eight outputs of a dot product at once: writes <c>bias[k] + (the sum of the lanes of a_k)</c> to
    /// <c>destination[k]</c> for k below <paramref name="count"/> (1 to 8). Each sum folds its vector in halves (see
    /// <see cref="LaneSums"/>): the same order for every k, count and group, so an output's bits do not depend on the
    /// outputs it is summed with. Reads eight floats of bias (a tensor in the parameter buffer, which ends in padding).
    /// </summary>
    static abstract void StoreSums(TSelf a0, TSelf a1, TSelf a2, TSelf a3, TSelf a4, TSelf a5, TSelf a6, TSelf a7,
        ref float bias, ref float destination, int count);

    /// <summary><c>a · b + c</c>, fused into one rounding where the CPU has FMA, a multiply then an add where it does not.</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>
    /// <c>a · b + c</c> where b is the vector at <paramref name="offset"/> in <paramref name="source"/>: the same result as
    /// <see cref="MultiplyAdd"/> of a <see cref="Load"/>, for a vector used once. On x86 the load becomes the multiply-add's
    /// memory operand and the sum stays in c's register; the JIT does neither for a <see cref="Load"/> passed to
    /// <see cref="MultiplyAdd"/> through these wrappers (it loads into a register, multiplies into it, then copies it back),
    /// which made a one-sample dot product 1.5–1.8 times slower on AVX2.
    /// </summary>
    static abstract TSelf MultiplyAddLoad(TSelf a, ref float source, int offset, TSelf c);

    /// <summary>The sum of the lanes.</summary>
    static abstract float Sum(TSelf value);

    /// <summary>The lane-wise larger value.</summary>
    static abstract TSelf Max(TSelf a, TSelf b);

    /// <summary>The lane-wise absolute value.</summary>
    static abstract TSelf Abs(TSelf value);

    /// <summary>The lane-wise <c>e^x</c>.</summary>
    static abstract TSelf Exp(TSelf value);

    /// <summary>The lane-wise natural logarithm.</summary>
    static abstract TSelf Log(TSelf value);

    /// <summary>Per lane, <paramref name="ifTrue"/> where <paramref name="a"/> &gt; <paramref name="b"/>, else <paramref name="ifFalse"/>.</summary>
    static abstract TSelf SelectGreater(TSelf a, TSelf b, TSelf ifTrue, TSelf ifFalse);

    /// <summary>
    /// Per lane, <paramref name="ifTrue"/> where <paramref name="a"/> &gt; <paramref name="b"/> or <paramref name="a"/> is a
    /// NaN, else <paramref name="ifFalse"/>: PyTorch's test for a new maximum, after which a NaN maximum stays.
    /// </summary>
    static abstract TSelf SelectGreaterOrNaN(TSelf a, TSelf b, TSelf ifTrue, TSelf ifFalse);

    /// <summary>
    /// Reads floats in pairs from <paramref name="offset"/> floats after <paramref name="source"/>: lane k of
    /// <paramref name="even"/> is float 2k, of <paramref name="odd"/> float 2k + 1 (a stride-2 window's two taps in a row, for
    /// <see cref="Count"/> windows side by side). Only the first <paramref name="count"/> lanes (1 to <see cref="Count"/>) are
    /// wanted: when 2 · count floats fit in one vector, one vector is read, else two; the others lanes hold whatever was
    /// there. What is read must be readable: buffers end in padding. Kernels pass a constant count.
    /// </summary>
    static abstract void LoadPairs(ref float source, int offset, int count, out TSelf even, out TSelf odd);

    /// <summary>
    /// The inverse of <see cref="LoadPairs"/>: writes lane k of <paramref name="even"/> to float 2k and of
    /// <paramref name="odd"/> to float 2k + 1 from <paramref name="offset"/> floats after <paramref name="destination"/>,
    /// for the first <paramref name="count"/> lanes only (1 to <see cref="Count"/>): 2 · count floats, nothing past them.
    /// Kernels pass a constant count.
    /// </summary>
    static abstract void StorePairs(TSelf even, TSelf odd, ref float destination, int offset, int count);

    /// <summary>Lane-wise sum.</summary>
    static abstract TSelf operator +(TSelf a, TSelf b);

    /// <summary>Lane-wise difference.</summary>
    static abstract TSelf operator -(TSelf a, TSelf b);

    /// <summary>Lane-wise product.</summary>
    static abstract TSelf operator *(TSelf a, TSelf b);

    /// <summary>Lane-wise quotient.</summary>
    static abstract TSelf operator /(TSelf a, TSelf b);

    /// <summary>Lane-wise negation.</summary>
    static abstract TSelf operator -(TSelf value);
}
