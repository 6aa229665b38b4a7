using BenchmarkDotNet.Attributes;
using CompiledNets;

namespace CompiledNets.Benchmarks;

/// <summary>
/// Issue 12's MLP rows beyond issue 4's: LeCun's classic 784 → 300 → 100 → 10 at batch 128, and the table's MLPs in
/// variants whose widths are not multiples of 16 (shapes no kernel was tuned for), each one epoch of 60,000 images
/// with SGD momentum on one thread and on two.
/// </summary>
public class MlpBenchmarks
{
    private TrainingSession _classic1 = null!, _classic2 = null!, _oddMnist1 = null!, _oddMnist2 = null!, _oddFashion1 = null!, _oddFashion2 = null!;
    private DataLoader _loaderClassic1 = null!, _loaderClassic2 = null!, _loaderOddMnist1 = null!, _loaderOddMnist2 = null!, _loaderOddFashion1 = null!,
        _loaderOddFashion2 = null!;

    [GlobalSetup]
    public void Setup()
    {
        Dataset train = BenchmarkData.FashionTrain;
        (_classic1, _loaderClassic1) = Session(new ClassicMlp(seed: 0), 1, train, batch: 128);
        (_classic2, _loaderClassic2) = Session(new ClassicMlp(seed: 0), 2, train, batch: 128);
        (_oddMnist1, _loaderOddMnist1) = Session(new OddMnistNet(seed: 0), 1, train, batch: 64);
        (_oddMnist2, _loaderOddMnist2) = Session(new OddMnistNet(seed: 0), 2, train, batch: 64);
        (_oddFashion1, _loaderOddFashion1) = Session(new OddFashionNet(seed: 0), 1, train, batch: 64);
        (_oddFashion2, _loaderOddFashion2) = Session(new OddFashionNet(seed: 0), 2, train, batch: 64);
    }

    /// <summary>A network on its own thread count, with SGD momentum and a loader of its own (own shuffle state).</summary>
    private static (TrainingSession, DataLoader) Session(INetwork network, int threads, Dataset train, int batch)
    {
        Threads.Set(network, threads);
        return (new TrainingSession(network), new DataLoader(train, batch, shuffle: true, seed: 1));
    }

    [Benchmark(Description = "784-300-100-10, batch 128, epoch, 1 thread")]
    [Workload("classic MLP 784→300→100→10 (LeCun 1998), batch 128, SGD momentum, one epoch, 1 thread", typeof(ClassicMlp), Pass.Training,
        samplesPerOperation: BenchmarkData.FashionTrainCount, Threads = 1)]
    public float EpochClassicMlpOneThread() => _classic1.Epoch(_loaderClassic1);

    [Benchmark(Description = "784-300-100-10, batch 128, epoch, 2 threads")]
    [Workload("same, 2 threads", typeof(ClassicMlp), Pass.Training, samplesPerOperation: BenchmarkData.FashionTrainCount, Threads = 2)]
    public float EpochClassicMlpTwoThreads() => _classic2.Epoch(_loaderClassic2);

    [Benchmark(Description = "784-100-10, epoch, 1 thread")]
    [Workload("odd widths: 784→100→10, batch 64, one epoch, 1 thread", typeof(OddMnistNet), Pass.Training,
        samplesPerOperation: BenchmarkData.FashionTrainCount, Threads = 1)]
    public float EpochOddMnistOneThread() => _oddMnist1.Epoch(_loaderOddMnist1);

    [Benchmark(Description = "784-100-10, epoch, 2 threads")]
    [Workload("same, 2 threads", typeof(OddMnistNet), Pass.Training, samplesPerOperation: BenchmarkData.FashionTrainCount, Threads = 2)]
    public float EpochOddMnistTwoThreads() => _oddMnist2.Epoch(_loaderOddMnist2);

    [Benchmark(Description = "784-250-125-10, epoch, 1 thread")]
    [Workload("odd widths: 784→250→125→10, batch 64, one epoch, 1 thread", typeof(OddFashionNet), Pass.Training,
        samplesPerOperation: BenchmarkData.FashionTrainCount, Threads = 1)]
    public float EpochOddFashionOneThread() => _oddFashion1.Epoch(_loaderOddFashion1);

    [Benchmark(Description = "784-250-125-10, epoch, 2 threads")]
    [Workload("same, 2 threads", typeof(OddFashionNet), Pass.Training, samplesPerOperation: BenchmarkData.FashionTrainCount, Threads = 2)]
    public float EpochOddFashionTwoThreads() => _oddFashion2.Epoch(_loaderOddFashion2);
}
