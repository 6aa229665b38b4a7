using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Runtime.Intrinsics;
using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace CompiledNets.Benchmarks;

/// <summary>
/// <c>--quick</c>: times every <see cref="WorkloadAttribute"/> method with a Stopwatch and prints one
/// JSON object per line on stdout (progress goes to stderr), for bench/side_by_side.py, which
/// times PyTorch by the same rules. It calls the very methods BenchmarkDotNet measures.
/// </summary>
/// <remarks>
/// The rules, mirrored in bench/side_by_side.py: warm up by calling the operation until at least
/// <see cref="WarmupSeconds"/> have passed (at least once); estimate the time per call from that;
/// then time <see cref="Rounds"/> rounds of enough calls to fill <see cref="RoundSeconds"/> (at least
/// one) and report the median round's time per call, and the fastest.
/// </remarks>
public static class QuickRun
{
    public const double WarmupSeconds = 0.5, RoundSeconds = 0.25;
    public const int Rounds = 5;

    /// <summary>Runs the workloads named in <c>--only a,b</c> (method names), or all; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        int only = Array.IndexOf(args, "--only");
        HashSet<string>? selected = only >= 0 && only + 1 < args.Length
            ? new HashSet<string>(args[only + 1].Split(','), StringComparer.OrdinalIgnoreCase)
            : null;

        WriteLine(new Dictionary<string, object>
        {
            ["type"] = "info",
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["vector512"] = Vector512.IsHardwareAccelerated,
            ["vector256"] = Vector256.IsHardwareAccelerated,
            ["processors"] = Environment.ProcessorCount,
            ["fashion_data"] = BenchmarkData.FashionSource,
        });

        foreach (var group in WorkloadCatalog.All
            .Where(entry => selected is null || selected.Contains(entry.Method.Name))
            .GroupBy(entry => entry.Method.DeclaringType!))
        {
            // One instance per suite, set up once, as BenchmarkDotNet's [GlobalSetup] would.
            object instance = Activator.CreateInstance(group.Key)!;
            group.Key.GetMethods().Single(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null).Invoke(instance, null);
            foreach (var (method, workload) in group)
            {
                Console.Error.WriteLine($"timing {method.Name} ({workload.Row})");
                var (median, fastest, callsPerRound) = Time(method.CreateDelegate<Func<float>>(instance));
                WriteLine(new Dictionary<string, object>
                {
                    ["type"] = "result",
                    ["id"] = method.Name,
                    ["row"] = workload.Row,
                    ["network"] = workload.Network.Name,
                    ["pass"] = workload.Pass.ToString().ToLowerInvariant(),
                    ["threads_requested"] = workload.Threads,
                            ["samples_per_op"] = workload.SamplesPerOperation,
                    ["flops_per_op"] = workload.FlopsPerOperation,
                    ["seconds_per_op"] = median,
                    ["seconds_per_op_fastest"] = fastest,
                    ["ops_per_round"] = callsPerRound,
                    ["rounds"] = Rounds,
                    ["samples_per_second"] = workload.SamplesPerOperation / median,
                    ["gflops"] = workload.FlopsPerOperation / median * 1e-9,
                });
            }
            // Then its [GlobalCleanup], as BenchmarkDotNet would (the busy-core rows stop their spinning process).
            group.Key.GetMethods().SingleOrDefault(m => m.GetCustomAttribute<GlobalCleanupAttribute>() is not null)?.Invoke(instance, null);
        }
        return 0;
    }

    private static (double Median, double Fastest, long CallsPerRound) Time(Func<float> operation)
    {
        // The sink keeps every result alive, so no call can be optimized away.
        float sink = 0f;
        long warmupCalls = 0;
        var stopwatch = Stopwatch.StartNew();
        do
        {
            sink += operation();
            warmupCalls++;
        }
        while (stopwatch.Elapsed.TotalSeconds < WarmupSeconds);
        double estimate = stopwatch.Elapsed.TotalSeconds / warmupCalls;

        long calls = Math.Max(1, (long)Math.Round(RoundSeconds / estimate));
        var perCall = new double[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            for (long i = 0; i < calls; i++)
            {
                sink += operation();
            }
            perCall[round] = Stopwatch.GetElapsedTime(start).TotalSeconds / calls;
        }
        GC.KeepAlive(sink);
        Array.Sort(perCall);
        return (perCall[Rounds / 2], perCall[0], calls);
    }

    private static void WriteLine(Dictionary<string, object> fields)
    {
        using var stdout = Console.OpenStandardOutput();
        // Relaxed escaping keeps "→" readable; the output is parsed as JSON, never embedded in HTML.
        using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        JsonSerializer.Serialize(writer, fields);
        writer.Flush();
        stdout.WriteByte((byte)'\n');
    }
}
