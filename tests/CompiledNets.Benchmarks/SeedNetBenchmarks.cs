using System;
using BenchmarkDotNet.Attributes;
using CompiledNets;

namespace CompiledNets.Benchmarks;

/// <summary>
/// The seed net 10 → 20 → 2: per-step and per-sample overhead, where a compiled network should
/// beat a framework by the largest factor. Each call is one step or one sample.
/// </summary>
public class SeedNetBenchmarks
{
    // A pool of 8,192 samples, cycled so successive steps see different data (as in an epoch)
    // without a loader's copy: batch i is the contiguous slice i.
    private const int PoolSize = 8192;

    private float[] _inputs = [];
    private int[] _labels = [];
    private SeedNet _net32 = null!, _net1 = null!, _inferenceNet = null!;
    private TrainingSession _train32 = null!, _train1 = null!;
    private readonly float[] _output = new float[SeedNet.OutputSize];
    private int _batch32, _sample1, _sampleInference;

    [GlobalSetup]
    public void Setup()
    {
        (_inputs, _labels) = BenchmarkData.SeedPool(PoolSize, seed: 7);
        _net32 = new SeedNet(seed: 0);
        _net1 = new SeedNet(seed: 0);
        _inferenceNet = new SeedNet(seed: 0);
        foreach (SeedNet net in new[] { _net32, _net1, _inferenceNet })
        {
            Threads.Set(net, 1);
        }
        _train32 = new TrainingSession(_net32);
        _train1 = new TrainingSession(_net1);
    }

    [Benchmark(Description = "seed 10-20-2, train, batch 32")]
    [Workload("seed net 10→20→2, training, batch 32", typeof(SeedNet), Pass.Training, samplesPerOperation: 32)]
    public float TrainBatch32()
    {
        const int Batches = PoolSize / 32;
        int batch = _batch32;
        _batch32 = (batch + 1) % Batches;
        return _train32.Step(_inputs.AsSpan(batch * 32 * 10, 32 * 10), _labels.AsSpan(batch * 32, 32));
    }

    [Benchmark(Description = "seed 10-20-2, train, batch 1")]
    [Workload("seed net, training, batch 1", typeof(SeedNet), Pass.Training, samplesPerOperation: 1)]
    public float TrainBatch1()
    {
        int sample = _sample1;
        _sample1 = (sample + 1) % PoolSize;
        return _train1.Step(_inputs.AsSpan(sample * 10, 10), _labels.AsSpan(sample, 1));
    }

    [Benchmark(Description = "seed 10-20-2, infer 1 sample")]
    [Workload("seed net, inference, one sample", typeof(SeedNet), Pass.Inference, samplesPerOperation: 1)]
    public float InferOneSample()
    {
        int sample = _sampleInference;
        _sampleInference = (sample + 1) % PoolSize;
        _inferenceNet.Forward(_inputs.AsSpan(sample * 10, 10), _output);
        return _output[0];
    }
}
