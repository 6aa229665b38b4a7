using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CompiledNets.Kernels;

/// <summary>
/// Packs a layer's weight <c>[out, in]</c> as <c>weightᵀ [in, out]</c> in panels, at the start of each batched forward:
/// the form whose product broadcasts each input across vectors of outputs, which register tiles run fastest.
/// </summary>
/// <remarks>
/// <para>A panel holds <c>panel</c> outputs (a vector's worth) for every input, one after another:
/// <c>weightᵀ[i, o]</c> is at <c>(o / panel) · (in · panel) + i · panel + o % panel</c>. Each vector of a register tile
/// then streams from a panel of its own, and threads that split a product by panels each write and read a region of
/// their own (rows of a plain transposed copy would be shared by every thread's columns, and a core writing a cache line
/// another core reads costs far more than the copy).</para>
/// <para>The copy is made once per forward pass, since the weight may change between passes (an optimizer steps, or a
/// caller writes <c>Parameters</c>); it costs <c>in · out</c> moves where the product costs <c>batch · in · out</c>
/// multiply-adds. It runs in 8 × 8 blocks through AVX shuffles where the CPU has them and the panel holds whole blocks, rows
/// that leave no whole 8-row block in 4 × 4 blocks through SSE, the last columns in a block that overlaps the one before, and
/// only what no block covers (fewer rows or columns than a block, or no SSE) through scalar moves.</para>
/// </remarks>
public static class Transposition
{
    /// <summary>
    /// Packs the source rows (outputs) <c>[rowStart, rowEnd)</c>, every column (input), into panels of
    /// <paramref name="panel"/> outputs: a part of the copy that threads split by whole panels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToPanels(ref float source, int columns, ref float destination, int panel, int rowStart, int rowEnd)
    {
        int r = rowStart;
        // Blocks of 8 rows through AVX, then of 4 through SSE (the rows an 8-row block leaves, as in a layer of 60 outputs).
        if (Avx.IsSupported && panel % 8 == 0 && r % 8 == 0)
        {
            Blocks(ref source, columns, ref destination, panel, ref r, rowEnd, 8);
        }
        if (Sse.IsSupported && panel % 4 == 0 && r % 4 == 0)
        {
            Blocks(ref source, columns, ref destination, panel, ref r, rowEnd, 4);
        }
        // Rows left over (all of them without SSE), each down its panel's column.
        for (; r < rowEnd; r++)
        {
            ref float column = ref Unsafe.Add(ref destination, r / panel * (columns * panel) + r % panel);
            ref float row = ref Unsafe.Add(ref source, r * columns);
            for (int c = 0; c < columns; c++)
            {
                Unsafe.Add(ref column, c * panel) = Unsafe.Add(ref row, c);
            }
        }
    }

    /// <summary>
    /// Packs rows from <paramref name="r"/> in blocks of <paramref name="size"/> (8 or 4) rows by as many columns while whole
    /// blocks remain before <paramref name="rowEnd"/>, and moves <paramref name="r"/> past them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Blocks(ref float source, int columns, ref float destination, int panel, ref int r, int rowEnd, int size)
    {
        // Blocks never straddle a panel: panels and r are whole blocks. The blocks of one panel go side by side, column
        // block by column block: together they fill whole cache lines of the panel (a panel of 16 holds a line per input),
        // where one block at a time would write half of each line and come back for the other half after the line had left
        // the cache.
        while (r <= rowEnd - size)
        {
            int group = System.Math.Min(panel - r % panel, rowEnd - r) / size * size;
            ref float panelStart = ref Unsafe.Add(ref destination, r / panel * (columns * panel) + r % panel);
            ref float rows = ref Unsafe.Add(ref source, r * columns);
            int c = 0;
            for (; c <= columns - size; c += size)
            {
                Block(ref rows, columns, ref panelStart, panel, group, c, size);
            }
            if (c < columns && columns >= size)
            {
                // The last columns, a partial block: the block that ends at the last column, which writes again the
                // columns before it shares with the previous block (the same values, into this part's own rows).
                Block(ref rows, columns, ref panelStart, panel, group, columns - size, size);
            }
            else if (c < columns)
            {
                // Fewer columns than a block: moved one by one.
                for (; c < columns; c++)
                {
                    for (int i = 0; i < group; i++)
                    {
                        Unsafe.Add(ref panelStart, c * panel + i) = Unsafe.Add(ref rows, i * columns + c);
                    }
                }
            }
            r += group;
        }
    }

    /// <summary>The blocks of columns <c>[c, c + size)</c> of a group's rows, side by side in their panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block(ref float rows, int columns, ref float panelStart, int panel, int group, int c, int size)
    {
        for (int g = 0; g < group; g += size)
        {
            if (size == 8)
            {
                Block8(ref Unsafe.Add(ref rows, g * columns + c), columns, ref Unsafe.Add(ref panelStart, c * panel + g), panel);
            }
            else
            {
                Block4(ref Unsafe.Add(ref rows, g * columns + c), columns, ref Unsafe.Add(ref panelStart, c * panel + g), panel);
            }
        }
    }

    /// <summary>One 8 × 8 block: eight rows of eight loaded, interleaved in three rounds of shuffles, stored as eight columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8(ref float source, int sourceStride, ref float destination, int destinationStride)
    {
        Vector256<float> r0 = Vector256.LoadUnsafe(ref source);
        Vector256<float> r1 = Vector256.LoadUnsafe(ref source, (nuint)sourceStride);
        Vector256<float> r2 = Vector256.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        Vector256<float> r3 = Vector256.LoadUnsafe(ref source, (nuint)(3 * sourceStride));
        Vector256<float> r4 = Vector256.LoadUnsafe(ref source, (nuint)(4 * sourceStride));
        Vector256<float> r5 = Vector256.LoadUnsafe(ref source, (nuint)(5 * sourceStride));
        Vector256<float> r6 = Vector256.LoadUnsafe(ref source, (nuint)(6 * sourceStride));
        Vector256<float> r7 = Vector256.LoadUnsafe(ref source, (nuint)(7 * sourceStride));
        // Pairs of rows interleaved: t0 = r0[0] r1[0] r0[1] r1[1] | r0[4] r1[4] r0[5] r1[5], and so on.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        // Quadruples: u0 = column 0 of rows 0-3 | column 4 of rows 0-3, and so on.
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        // The 128-bit halves of rows 0-3 and 4-7 joined: whole columns.
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref destination);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref destination, (nuint)destinationStride);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref destination, (nuint)(2 * destinationStride));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref destination, (nuint)(3 * destinationStride));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref destination, (nuint)(4 * destinationStride));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref destination, (nuint)(5 * destinationStride));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref destination, (nuint)(6 * destinationStride));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref destination, (nuint)(7 * destinationStride));
    }

    /// <summary>One 4 × 4 block: four rows of four loaded, interleaved in two rounds of shuffles, stored as four columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4(ref float source, int sourceStride, ref float destination, int destinationStride)
    {
        Vector128<float> r0 = Vector128.LoadUnsafe(ref source);
        Vector128<float> r1 = Vector128.LoadUnsafe(ref source, (nuint)sourceStride);
        Vector128<float> r2 = Vector128.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        Vector128<float> r3 = Vector128.LoadUnsafe(ref source, (nuint)(3 * sourceStride));
        // Pairs of rows interleaved: t0 = r0[0] r1[0] r0[1] r1[1], t1 = r0[2] r1[2] r0[3] r1[3], and so on.
        Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackHigh(r0, r1);
        Vector128<float> t2 = Sse.UnpackLow(r2, r3), t3 = Sse.UnpackHigh(r2, r3);
        // Their halves joined: whole columns.
        Sse.MoveLowToHigh(t0, t2).StoreUnsafe(ref destination);
        Sse.MoveHighToLow(t2, t0).StoreUnsafe(ref destination, (nuint)destinationStride);
        Sse.MoveLowToHigh(t1, t3).StoreUnsafe(ref destination, (nuint)(2 * destinationStride));
        Sse.MoveHighToLow(t3, t1).StoreUnsafe(ref destination, (nuint)(3 * destinationStride));
    }
}
