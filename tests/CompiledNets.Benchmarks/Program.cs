using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using CompiledNets.Benchmarks;

// Two modes over the same [Workload] methods:
//   dotnet run -c Release --project tests/CompiledNets.Benchmarks -- --filter '*'   BenchmarkDotNet, short in-process job
//   dotnet run -c Release --project tests/CompiledNets.Benchmarks -- --quick        Stopwatch, JSON lines (bench/side_by_side.py)
//   dotnet run -c Release --project tests/CompiledNets.Benchmarks -- --peak         this machine's FMA limit in plain C#
//   dotnet run -c Release --project tests/CompiledNets.Benchmarks -- --sweep        every Linear product over a grid of shapes, share of peak
//   dotnet run -c Release --project tests/CompiledNets.Benchmarks -- --short-run wine   one short training run (bench/short_runs.py)
if (args.Contains("--quick"))
{
    return QuickRun.Run(args);
}
if (args.Contains("--peak"))
{
    return FmaPeak.Run();
}
if (args.Contains("--sweep"))
{
    return CompiledNets.Benchmarks.Sweep.ProductSweep.Run(args);
}
if (args.Contains("--short-run"))
{
    return ShortRun.Run(args);
}

Console.WriteLine($"Fashion-MNIST workloads use: {BenchmarkData.FashionSource}");
IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(SeedNetBenchmarks).Assembly).Run(args, BenchmarkConfig.Create());

// BenchmarkDotNet prints one table per suite; this is both, in the order of issue 4's table.
var means = new Dictionary<MethodInfo, double>();
foreach (BenchmarkReport report in summaries.SelectMany(summary => summary.Reports))
{
    if (report.ResultStatistics is { Mean: > 0 } statistics)
    {
        means[report.BenchmarkCase.Descriptor.WorkloadMethod] = statistics.Mean;
    }
}
if (means.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("| workload | time per call | samples/s | GFLOP/s | threads |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    foreach (var (method, workload) in WorkloadCatalog.All.Where(entry => means.ContainsKey(entry.Method)))
    {
        double meanNs = means[method];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {workload.Row} | {FormatTime(meanNs)} | {WorkloadColumn.Format(workload.SamplesPerOperation / (meanNs * 1e-9))} | {workload.FlopsPerOperation / meanNs:F2} | {workload.Threads} |"));
    }
    Console.WriteLine();
    Console.WriteLine($"Fashion-MNIST workloads used: {BenchmarkData.FashionSource}");
    Console.WriteLine("GFLOP/s count matrix-product flops only: forward Σ 2·in·out per sample; training adds 2·in·out for dW of every");
    Console.WriteLine("Linear and 2·in·out for dX of every Linear but the first, Σ 6·in·out − 2·in₀·out₀ (see Flops.cs).");
}
return 0;

static string FormatTime(double ns) => ns switch
{
    >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e9:F3} s"),
    >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e6:F1} ms"),
    >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e3:F2} µs"),
    _ => string.Create(CultureInfo.InvariantCulture, $"{ns:F1} ns"),
};
