using System;
using System.Linq;
using CompiledNets.Kernels;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>
/// What max pooling's windows side by side use, at every vector width: <c>LoadPairs</c> splits a row into its even and
/// odd floats for every wanted lane, <c>StorePairs</c> puts them back, and <c>SelectGreaterOrNaN</c> is PyTorch's test for a
/// new maximum, lane by lane.
/// </summary>
public sealed class SimdWindowTests
{
    [Fact]
    public void LoadPairs_gives_every_other_float_for_each_wanted_lane() => EveryWidth.Run(new LoadPairsCheck());

    [Fact]
    public void StorePairs_interleaves_the_wanted_lanes_and_writes_nothing_past_them() => EveryWidth.Run(new StorePairsCheck());

    [Fact]
    public void SelectGreaterOrNaN_moves_on_a_larger_value_or_a_NaN() => EveryWidth.Run(new SelectCheck());

    private sealed class LoadPairsCheck : IWidthCheck
    {
        public void Run<V>() where V : unmanaged, ISimd<V>
        {
            // Distinct values, so a lane from the wrong place shows.
            float[] row = Enumerable.Range(0, 2 * V.Count + 8 + WorkspaceBase.Padding).Select(i => 100f + i).ToArray();
            foreach (int offset in new[] { 0, 1, 5 })
            {
                for (int count = 1; count <= V.Count; count++)
                {
                    V.LoadPairs(ref row[0], offset, count, out V even, out V odd);
                    float[] evens = EveryWidth.Lanes(even), odds = EveryWidth.Lanes(odd);
                    for (int k = 0; k < count; k++)
                    {
                        Assert.True(evens[k] == row[offset + 2 * k], $"{typeof(V).Name}, offset {offset}, count {count}: even lane {k} is {evens[k]}, not {row[offset + 2 * k]}");
                        Assert.True(odds[k] == row[offset + 2 * k + 1], $"{typeof(V).Name}, offset {offset}, count {count}: odd lane {k} is {odds[k]}, not {row[offset + 2 * k + 1]}");
                    }
                }
            }
        }
    }

    private sealed class StorePairsCheck : IWidthCheck
    {
        public void Run<V>() where V : unmanaged, ISimd<V>
        {
            float[] evens = Enumerable.Range(0, V.Count).Select(k => 1000f + k).ToArray();
            float[] odds = Enumerable.Range(0, V.Count).Select(k => 2000f + k).ToArray();
            V even = V.Load(ref evens[0], 0), odd = V.Load(ref odds[0], 0);
            foreach (int offset in new[] { 0, 3 })
            {
                for (int count = 1; count <= V.Count; count++)
                {
                    float[] row = Enumerable.Repeat(float.NaN, offset + 2 * V.Count + 4).ToArray();
                    V.StorePairs(even, odd, ref row[0], offset, count);
                    for (int k = 0; k < count; k++)
                    {
                        Assert.True(row[offset + 2 * k] == evens[k] && row[offset + 2 * k + 1] == odds[k],
                            $"{typeof(V).Name}, offset {offset}, count {count}: pair {k} is ({row[offset + 2 * k]}, {row[offset + 2 * k + 1]})");
                    }
                    Assert.True(row.Take(offset).Concat(row.Skip(offset + 2 * count)).All(float.IsNaN),
                        $"{typeof(V).Name}, offset {offset}, count {count}: wrote outside its {2 * count} floats");
                }
            }
        }
    }

    private sealed class SelectCheck : IWidthCheck
    {
        public void Run<V>() where V : unmanaged, ISimd<V>
        {
            // (a, b, moves): larger, smaller, equal (the first maximum stays), signed zeros, a NaN value, a NaN maximum.
            (float A, float B, bool Moves)[] cases =
            [
                (2f, 1f, true), (1f, 2f, false), (3f, 3f, false), (0f, -0f, false), (-0f, 0f, false),
                (float.NaN, 5f, true), (5f, float.NaN, false), (float.NaN, float.NaN, true),
                (float.PositiveInfinity, float.NegativeInfinity, true), (float.NegativeInfinity, float.NaN, false),
            ];
            foreach ((float a, float b, bool moves) in cases)
            {
                // Every lane gets the case, so each lane's own compare is tested.
                V result = V.SelectGreaterOrNaN(V.Create(a), V.Create(b), V.Create(1f), V.Create(-1f));
                Assert.All(EveryWidth.Lanes(result), lane => Assert.True(lane == (moves ? 1f : -1f), $"{typeof(V).Name}: a = {a}, b = {b} should {(moves ? "" : "not ")}move"));
            }
            // Lanes apart: lane k compares its own pair.
            float[] left = Enumerable.Range(0, V.Count).Select(k => k % 3 == 0 ? float.NaN : k).ToArray();
            float[] right = Enumerable.Range(0, V.Count).Select(k => k % 2 == 0 ? k + 0.5f : k - 0.5f).ToArray();
            float[] chosen = EveryWidth.Lanes(V.SelectGreaterOrNaN(V.Load(ref left[0], 0), V.Load(ref right[0], 0), V.Create(1f), V.Create(-1f)));
            for (int k = 0; k < V.Count; k++)
            {
                bool expected = left[k] > right[k] || float.IsNaN(left[k]);
                Assert.True(chosen[k] == (expected ? 1f : -1f), $"{typeof(V).Name}: lane {k}");
            }
        }
    }
}
