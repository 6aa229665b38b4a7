using System;
using System.Linq;
using CompiledNets.Kernels;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>
/// <c>MultiplyAddLoad</c>, which the dot products call for a weight vector used once, at every vector width: it reads the
/// vector at the offset given, lane for lane, and gives the same bits as <c>MultiplyAdd</c> of a <c>Load</c> (fused where
/// the CPU has FMA, a multiply then an add where it does not), so the kernels that call it keep their results.
/// </summary>
public sealed class MultiplyAddLoadTests
{
    [Fact]
    public void MultiplyAddLoad_reads_the_vector_at_the_offset() => EveryWidth.Run(new OffsetCheck());

    [Fact]
    public void MultiplyAddLoad_gives_the_bits_of_MultiplyAdd_of_a_Load() => EveryWidth.Run(new BitsCheck());

    private sealed class OffsetCheck : IWidthCheck
    {
        public void Run<V>() where V : unmanaged, ISimd<V>
        {
            // Small integers: every product and sum is exact, fused or not, so only the lanes read decide the result.
            float[] source = Enumerable.Range(0, 3 * V.Count + 5).Select(i => (float)(i + 1)).ToArray();
            float[] a = Enumerable.Range(0, V.Count).Select(k => (float)(k + 2)).ToArray();
            float[] c = Enumerable.Range(0, V.Count).Select(k => (float)(100 * k)).ToArray();
            foreach (int offset in new[] { 0, 1, V.Count, 2 * V.Count + 5 })
            {
                float[] result = EveryWidth.Lanes(V.MultiplyAddLoad(V.Load(ref a[0], 0), ref source[0], offset, V.Load(ref c[0], 0)));
                for (int k = 0; k < V.Count; k++)
                {
                    float expected = a[k] * source[offset + k] + c[k];
                    Assert.True(result[k] == expected, $"{typeof(V).Name}, offset {offset}: lane {k} is {result[k]}, not {expected}");
                }
            }
        }
    }

    private sealed class BitsCheck : IWidthCheck
    {
        public void Run<V>() where V : unmanaged, ISimd<V>
        {
            var random = new Random(5);
            float[] source = new float[V.Count + 7], a = new float[V.Count], c = new float[V.Count];
            for (int round = 0; round < 200; round++)
            {
                // Products of full-length mantissas; on even lanes c cancels the rounded product, so a fused multiply-add leaves
                // the product's rounding error and an unfused one zero: a path that fused differently would show.
                int offset = round % 8;
                for (int i = 0; i < source.Length; i++) source[i] = (float)(random.NextDouble() * 4 - 2);
                for (int k = 0; k < V.Count; k++) a[k] = (float)(random.NextDouble() * 4 - 2);
                for (int k = 0; k < V.Count; k++) c[k] = k % 2 == 0 ? -(a[k] * source[offset + k]) : (float)(random.NextDouble() * 4 - 2);
                V va = V.Load(ref a[0], 0), vc = V.Load(ref c[0], 0);
                float[] loaded = EveryWidth.Lanes(V.MultiplyAddLoad(va, ref source[0], offset, vc));
                float[] separate = EveryWidth.Lanes(V.MultiplyAdd(va, V.Load(ref source[0], offset), vc));
                for (int k = 0; k < V.Count; k++)
                {
                    Assert.True(BitConverter.SingleToInt32Bits(loaded[k]) == BitConverter.SingleToInt32Bits(separate[k]),
                        $"{typeof(V).Name}, round {round}, lane {k}: {loaded[k]:R} against MultiplyAdd's {separate[k]:R}");
                }
            }
        }
    }
}
