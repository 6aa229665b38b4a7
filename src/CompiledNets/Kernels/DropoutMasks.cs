using System;
using System.Runtime.CompilerServices;

namespace CompiledNets.Kernels;

/// <summary>
/// The dropout masks of one network: a generator seeded by the network's seed, drawn from on one thread, element by
/// element in row-major order, so a run's masks are the same whatever the thread count. Used by generated code.
/// </summary>
public sealed class DropoutMasks
{
    private Rng _rng;

    /// <summary>A generator for a network created with <paramref name="seed"/>: its own stream, apart from the initialization's.</summary>
    public DropoutMasks(int seed)
    {
        _rng = new Rng(seed);
        _rng.State ^= 0xD1B5_4A32_D192_ED03UL;
    }

    /// <summary>The generator's state, for checkpoints.</summary>
    public ulong State
    {
        get => _rng.State;
        set => _rng.State = value;
    }

    /// <summary>
    /// Fills <paramref name="mask"/> with <c>1 / (1 − p)</c> for kept elements and 0 for dropped ones, each dropped with
    /// probability <paramref name="p"/> (a uniform draw in [0, 1) below p).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(Span<float> mask, float p)
    {
        float scale = 1f / (1f - p);
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = _rng.NextSingle() < p ? 0f : scale;
        }
    }
}
