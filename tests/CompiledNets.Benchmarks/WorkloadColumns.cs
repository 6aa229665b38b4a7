using System;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CompiledNets.Benchmarks;

/// <summary>
/// Summary columns computed from each benchmark's mean time per call and its
/// <see cref="WorkloadAttribute"/>: samples per second, effective GFLOP/s and the requested threads.
/// </summary>
public sealed class WorkloadColumn : IColumn
{
    private readonly Func<WorkloadAttribute, double, string> _value;

    private WorkloadColumn(string id, string name, string legend, Func<WorkloadAttribute, double, string> value)
    {
        Id = id;
        ColumnName = name;
        Legend = legend;
        _value = value;
    }

    /// <summary>Samples (images) per second: samples per call / mean seconds per call.</summary>
    public static readonly IColumn SamplesPerSecond = new WorkloadColumn(
        "CompiledNets.SamplesPerSecond", "Samples/s",
        "Samples (images) per second: samples per call divided by the mean time per call",
        (workload, meanNs) => Format(workload.SamplesPerOperation / (meanNs * 1e-9)));

    /// <summary>Effective GFLOP/s: flops per call (see <see cref="Flops"/>) / mean nanoseconds per call.</summary>
    public static readonly IColumn Gflops = new WorkloadColumn(
        "CompiledNets.Gflops", "GFLOP/s",
        "Effective GFLOP/s: matrix-product flops per call (forward Σ 2·in·out per sample; training Σ 6·in·out − 2·in₀·out₀) over the mean time",
        (workload, meanNs) => (workload.FlopsPerOperation / meanNs).ToString("F2", CultureInfo.InvariantCulture));

    /// <summary>The thread count the workload's network was set to (see <see cref="Benchmarks.Threads.Set"/>).</summary>
    public static readonly IColumn RequestedThreads = new WorkloadColumn(
        "CompiledNets.Threads", "Threads",
        "The network's ThreadCount, set through Threads.Set",
        (workload, _) => workload.Threads.ToString(CultureInfo.InvariantCulture));

    public string Id { get; }

    public string ColumnName { get; }

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend { get; }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        WorkloadAttribute? workload = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<WorkloadAttribute>();
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return workload is null || meanNs is not > 0 ? "-" : _value(workload, meanNs.Value);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;

    /// <summary>Three significant figures with a k/M suffix: 412 k, 2.31 M.</summary>
    public static string Format(double perSecond) => perSecond switch
    {
        >= 1e6 => (perSecond / 1e6).ToString("G3", CultureInfo.InvariantCulture) + " M",
        >= 1e3 => (perSecond / 1e3).ToString("G3", CultureInfo.InvariantCulture) + " k",
        _ => perSecond.ToString("G3", CultureInfo.InvariantCulture),
    };
}
