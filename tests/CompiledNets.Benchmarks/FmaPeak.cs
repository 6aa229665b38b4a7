using System;
using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Threading;

namespace CompiledNets.Benchmarks;

/// <summary>
/// <c>--peak</c>: the FMA limit of this machine as plain C# reaches it: twelve independent Vector512
/// (or Vector256) fused multiply-add chains, no loads, on one thread and then on every core. The
/// "fraction of peak" of a workload is its GFLOP/s over this.
/// </summary>
public static class FmaPeak
{
    public static int Run()
    {
        Measure(1, 20_000_000); // warm-up and tier-up
        double one = Measure(1, 400_000_000);
        double all = Measure(Environment.ProcessorCount, 400_000_000);
        Console.WriteLine(FormattableString.Invariant($"{{\"type\":\"peak\",\"vector\":\"{(Vector512.IsHardwareAccelerated ? "Vector512" : "Vector256")}\",\"gflops_one_thread\":{one:F1},\"gflops_all_threads\":{all:F1},\"threads\":{Environment.ProcessorCount}}}"));
        return 0;
    }

    /// <summary>The one-thread peak in GFLOP/s, measured now (about a second).</summary>
    public static double OneThread()
    {
        Measure(1, 20_000_000);
        return Measure(1, 200_000_000);
    }

    private static double Measure(int threads, long iterations)
    {
        var workers = new Thread[threads];
        var stopwatch = Stopwatch.StartNew();
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() => Sink = Vector512.IsHardwareAccelerated ? Chains512(iterations) : Chains256(iterations));
            workers[t].Start();
        }
        foreach (Thread worker in workers) worker.Join();
        int lanes = Vector512.IsHardwareAccelerated ? 16 : 8;
        return threads * iterations * 12.0 * lanes * 2 / stopwatch.Elapsed.TotalSeconds / 1e9;
    }

    /// <summary>Keeps the chains' result alive so the JIT cannot drop them.</summary>
    public static float Sink;

    private static float Chains512(long iterations)
    {
        var m = Vector512.Create(0.9999999f);
        var c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c); a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c); a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c); a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c); a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    private static float Chains256(long iterations)
    {
        var m = Vector256.Create(0.9999999f);
        var c = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c); a1 = Vector256.FusedMultiplyAdd(a1, m, c); a2 = Vector256.FusedMultiplyAdd(a2, m, c);
            a3 = Vector256.FusedMultiplyAdd(a3, m, c); a4 = Vector256.FusedMultiplyAdd(a4, m, c); a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c); a7 = Vector256.FusedMultiplyAdd(a7, m, c); a8 = Vector256.FusedMultiplyAdd(a8, m, c);
            a9 = Vector256.FusedMultiplyAdd(a9, m, c); a10 = Vector256.FusedMultiplyAdd(a10, m, c); a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
