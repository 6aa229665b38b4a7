using System;

namespace CompiledNets.Benchmarks;

/// <summary>
/// Describes what one call of a benchmark method does, so the BenchmarkDotNet columns and the
/// quick mode can turn a time per call into samples per second and GFLOP/s.
/// </summary>
/// <param name="row">The row of issue 4's table the method measures.</param>
/// <param name="network">The generated network type (its layers give the flop count, see <see cref="Flops"/>).</param>
/// <param name="pass">Training or inference.</param>
/// <param name="samplesPerOperation">Samples (images) one call processes: the batch size, or 60,000 for an epoch.</param>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WorkloadAttribute(string row, Type network, Pass pass, int samplesPerOperation) : Attribute
{
    public string Row { get; } = row;

    public Type Network { get; } = network;

    public Pass Pass { get; } = pass;

    public int SamplesPerOperation { get; } = samplesPerOperation;

    /// <summary>The thread count the benchmark sets on its network through <see cref="Benchmarks.Threads.Set"/> (reported, not applied, by this attribute).</summary>
    public int Threads { get; set; } = 1;

    /// <summary>Flops one call performs, by the formula of <see cref="Flops"/>.</summary>
    public double FlopsPerOperation => (double)Flops.PerSample(Network, Pass) * SamplesPerOperation;
}
