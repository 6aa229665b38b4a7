using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace CompiledNets.Benchmarks;

/// <summary>Every <see cref="WorkloadAttribute"/> method, in the order of the side-by-side table.</summary>
public static class WorkloadCatalog
{
    /// <summary>The suites in table order; within a suite, methods are declared in table order.</summary>
    public static readonly IReadOnlyList<Type> Suites =
        [typeof(SeedNetBenchmarks), typeof(TabularBenchmarks), typeof(FashionMnistBenchmarks), typeof(MlpBenchmarks), typeof(BusyCoreBenchmarks)];

    /// <summary>The workload methods with their descriptions, in table order.</summary>
    public static IEnumerable<(MethodInfo Method, WorkloadAttribute Workload)> All =>
        Suites.SelectMany(suite => suite.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Select(method => (Method: method, Workload: method.GetCustomAttribute<WorkloadAttribute>()!))
            .Where(entry => entry.Workload is not null)
            .OrderBy(entry => entry.Method.MetadataToken));
}
