using System;
using System.Linq;
using CompiledNets.Kernels;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>
/// The dot products' last steps at every vector width: <c>StoreSums</c> writes bias + the sum of each accumulator's lanes
/// in the halving order, bit for bit, whatever group and count; <c>LoadFirst</c> clears every lane past the count, NaN or not.
/// </summary>
public sealed class LaneSumsTests
{
    [Fact]
    public void StoreSums_gives_each_output_the_halving_sum_of_its_lanes_at_every_width() =>
        EveryWidth.Run(new StoreSumsCheck());

    [Fact]
    public void LoadFirst_keeps_the_first_lanes_and_clears_the_rest() => EveryWidth.Run(new LoadFirstCheck());

    /// <summary>The sum of <paramref name="lanes"/>: lane l plus lane l + n/2, then the same on the half, down to one.</summary>
    private static float HalvingSum(float[] lanes)
    {
        float[] values = lanes;
        while (values.Length > 1)
        {
            int half = values.Length / 2;
            values = Enumerable.Range(0, half).Select(l => values[l] + values[l + half]).ToArray();
        }
        return values[0];
    }

    private sealed class StoreSumsCheck : IWidthCheck
    {
        public void Run<V>() where V : unmanaged, ISimd<V>
        {
            var random = new Random(V.Count);
            // Magnitudes from 1e-4 to 1e4 with both signs: another order of additions rounds differently.
            float[] Lanes() => Enumerable.Range(0, V.Count)
                .Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-4, 5)))).ToArray();
            float[][] lanes = Enumerable.Range(0, 8).Select(_ => Lanes()).ToArray();
            float[] bias = Enumerable.Range(0, 8 + WorkspaceBase.Padding).Select(_ => (float)random.NextDouble()).ToArray();
            V[] accumulators = lanes.Select(l => V.Load(ref l[0], 0)).ToArray();
            float[] expected = Enumerable.Range(0, 8).Select(k => bias[k] + HalvingSum(lanes[k])).ToArray();
            bool differs = false;
            for (int count = 1; count <= 8; count++)
            {
                float[] destination = Enumerable.Repeat(float.NaN, 8 + 1).ToArray();
                V zero = V.Zero;
                V.StoreSums(accumulators[0], count > 1 ? accumulators[1] : zero, count > 2 ? accumulators[2] : zero, count > 3 ? accumulators[3] : zero,
                    count > 4 ? accumulators[4] : zero, count > 5 ? accumulators[5] : zero, count > 6 ? accumulators[6] : zero,
                    count > 7 ? accumulators[7] : zero, ref bias[0], ref destination[0], count);
                for (int k = 0; k < count; k++)
                {
                    Assert.True(BitConverter.SingleToInt32Bits(expected[k]) == BitConverter.SingleToInt32Bits(destination[k]),
                        $"{typeof(V).Name}, count {count}, output {k}: expected {expected[k]:R}, got {destination[k]:R}");
                    // The test can fail: a plain left-to-right sum gives other bits for some output.
                    differs |= V.Count > 2 && BitConverter.SingleToInt32Bits(bias[k] + lanes[k].Aggregate(0f, (s, v) => s + v)) != BitConverter.SingleToInt32Bits(expected[k]);
                }
                Assert.True(destination.Skip(count).All(float.IsNaN), $"{typeof(V).Name}, count {count}: wrote past the count");
            }
            // The same accumulator in another position of a group gives the same bits.
            float[] alone = new float[8 + 1];
            V.StoreSums(accumulators[5], V.Zero, V.Zero, V.Zero, V.Zero, V.Zero, V.Zero, V.Zero, ref bias[5], ref alone[0], 1);
            Assert.Equal(BitConverter.SingleToInt32Bits(expected[5]), BitConverter.SingleToInt32Bits(alone[0]));
            Assert.True(V.Count < 4 || differs, $"{typeof(V).Name}: no output depends on the order; the data cannot tell orders apart");
        }
    }

    private sealed class LoadFirstCheck : IWidthCheck
    {
        public void Run<V>() where V : unmanaged, ISimd<V>
        {
            float[] memory = Enumerable.Range(0, 2 * V.Count).Select(i => i < V.Count ? i + 1f : float.NaN).ToArray();
            for (int count = 1; count <= V.Count; count++)
            {
                // From the row's start, so lanes past the count hold NaN: they must read as zero.
                var values = new float[V.Count];
                V.Store(V.LoadFirst(ref memory[V.Count - count], 0, count), ref values[0], 0);
                for (int lane = 0; lane < V.Count; lane++)
                {
                    float expected = lane < count ? memory[V.Count - count + lane] : 0f;
                    Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(values[lane]),
                        $"{typeof(V).Name}, count {count}, lane {lane}: expected {expected}, got {values[lane]}");
                }
            }
        }
    }
}
