using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CompiledNets.Benchmarks;

/// <summary>The BenchmarkDotNet configuration: short, in-process, with the workload columns.</summary>
public static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        // ShortRun (1 launch, 3 warm-up and 3 measured iterations) keeps the whole suite at a few
        // minutes on a 2-core machine. Its error bars are wide (3 iterations); for steadier numbers
        // add `--iterationCount 10`, or use bench/side_by_side.py (median of 5 rounds).
        // In-process, because a separate process would mean a second build of the solution while
        // others may be editing src/ and generator/: this measures exactly the binary just built.
        .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess"))
        // Rows in declaration order; Program prints both suites as one table in issue 4's order after the run.
        .WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared))
        .AddColumn(WorkloadColumn.SamplesPerSecond, WorkloadColumn.Gflops, WorkloadColumn.RequestedThreads)
        // Allocated bytes per call: steady-state training and inference should show none.
        .AddDiagnoser(MemoryDiagnoser.Default);
}
