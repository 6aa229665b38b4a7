using System;
using BenchmarkDotNet.Attributes;
using CompiledNets;

namespace CompiledNets.Benchmarks;

/// <summary>
/// Issue 12's small-network rows: a tabular network of two hidden layers of 64 (30 → 64 → 64 → 2, about 6,000
/// multiply-adds a sample) and its variant of widths that are not multiples of 16, for one-sample inference and
/// training in batches of 16, on one thread.
/// </summary>
public class TabularBenchmarks
{
    private const int PoolSize = 8192, Features = 30;

    private float[] _inputs = [];
    private int[] _labels = [];
    private TabularNet _tabular = null!, _tabularInference = null!;
    private OddTabularNet _odd = null!, _oddInference = null!;
    private TrainingSession _trainTabular = null!, _trainOdd = null!;
    private readonly float[] _output = new float[2];
    private int _batch, _oddBatch, _sample, _oddSample;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        _inputs = new float[PoolSize * Features];
        _labels = new int[PoolSize];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = 2 * random.NextSingle() - 1;
        for (int i = 0; i < _labels.Length; i++) _labels[i] = random.Next(2);
        _tabular = new TabularNet(seed: 0);
        _tabularInference = new TabularNet(seed: 0);
        _odd = new OddTabularNet(seed: 0);
        _oddInference = new OddTabularNet(seed: 0);
        foreach (INetwork net in new INetwork[] { _tabular, _tabularInference, _odd, _oddInference })
        {
            Threads.Set(net, 1);
        }
        _trainTabular = new TrainingSession(_tabular);
        _trainOdd = new TrainingSession(_odd);
    }

    [Benchmark(Description = "30-64-64-2, train, batch 16")]
    [Workload("tabular 30→64→64→2, training, batch 16", typeof(TabularNet), Pass.Training, samplesPerOperation: 16)]
    public float TabularTrainBatch16()
    {
        int batch = _batch;
        _batch = (batch + 1) % (PoolSize / 16);
        return _trainTabular.Step(_inputs.AsSpan(batch * 16 * Features, 16 * Features), _labels.AsSpan(batch * 16, 16));
    }

    [Benchmark(Description = "30-64-64-2, infer 1 sample")]
    [Workload("tabular 30→64→64→2, inference, one sample", typeof(TabularNet), Pass.Inference, samplesPerOperation: 1)]
    public float TabularInferOneSample()
    {
        int sample = _sample;
        _sample = (sample + 1) % PoolSize;
        _tabularInference.Forward(_inputs.AsSpan(sample * Features, Features), _output);
        return _output[0];
    }

    [Benchmark(Description = "30-60-60-2, train, batch 16")]
    [Workload("odd widths: 30→60→60→2, training, batch 16", typeof(OddTabularNet), Pass.Training, samplesPerOperation: 16)]
    public float OddTabularTrainBatch16()
    {
        int batch = _oddBatch;
        _oddBatch = (batch + 1) % (PoolSize / 16);
        return _trainOdd.Step(_inputs.AsSpan(batch * 16 * Features, 16 * Features), _labels.AsSpan(batch * 16, 16));
    }

    [Benchmark(Description = "30-60-60-2, infer 1 sample")]
    [Workload("odd widths: 30→60→60→2, inference, one sample", typeof(OddTabularNet), Pass.Inference, samplesPerOperation: 1)]
    public float OddTabularInferOneSample()
    {
        int sample = _oddSample;
        _oddSample = (sample + 1) % PoolSize;
        _oddInference.Forward(_inputs.AsSpan(sample * Features, Features), _output);
        return _output[0];
    }
}
