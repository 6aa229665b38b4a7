using System;

namespace CompiledNets;

/// <summary>
/// A small seeded random number generator (SplitMix64, Steele, Lea and Flood, 2014) that gives the
/// same sequence on every machine and runtime, used for weight initialization and shuffling.
/// </summary>
/// <remarks>
/// It is not PyTorch's Mersenne Twister, so a seed here does not reproduce PyTorch's numbers; the
/// distributions match. Copy <see cref="State"/> to save and restore a position in the sequence.
/// </remarks>
public struct Rng
{
    /// <summary>Starts the sequence for <paramref name="seed"/>.</summary>
    public Rng(long seed) => State = unchecked((ulong)seed);

    /// <summary>The whole generator state.</summary>
    public ulong State { get; set; }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        // SplitMix64: a Weyl sequence scrambled by two multiply-xorshift rounds.
        ulong z = State += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A float uniform in [0, 1), from the top 24 bits (every float of that grid equally likely).</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>An integer uniform in [0, <paramref name="maxExclusive"/>) by Lemire's multiply-shift with rejection.</summary>
    public int NextInt32(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        uint range = (uint)maxExclusive;
        // Reject the low products that would make small results more likely: 2^32 mod range of them.
        uint threshold = (0u - range) % range;
        while (true)
        {
            ulong m = (NextUInt64() >> 32) * range;
            if ((uint)m >= threshold)
            {
                return (int)(m >> 32);
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="values"/> uniformly in [<paramref name="low"/>, <paramref name="high"/>),
    /// as <c>torch.nn.init.uniform_</c> does: <c>low + (high − low) · u</c>.
    /// </summary>
    public void FillUniform(Span<float> values, float low, float high)
    {
        if (!(low <= high)) throw new ArgumentException($"Expected low <= high but got low = {low}, high = {high}.", nameof(low));
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = low + (high - low) * NextSingle();
        }
    }

    /// <summary>Puts <paramref name="values"/> in a uniformly random order (Fisher–Yates).</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt32(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
