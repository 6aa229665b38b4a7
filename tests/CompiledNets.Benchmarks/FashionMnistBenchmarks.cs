using System;
using BenchmarkDotNet.Attributes;
using CompiledNets;

namespace CompiledNets.Benchmarks;

/// <summary>
/// The Fashion-MNIST rows: whole epochs (60,000 images, batch 64, shuffled by the loader, SGD with
/// momentum), batched inference over the 10,000 test images, and one image at a time. Each
/// network's thread count is set through <see cref="Threads.Set"/> to the row's count.
/// </summary>
public class FashionMnistBenchmarks
{
    private const int EpochBatch = 64, InferenceBatch = 1000;

    private Dataset _train = null!, _test = null!;
    private MnistNet _mnist1 = null!, _mnist2 = null!, _mnistInference2 = null!, _mnistSingle = null!;
    private FashionNet _fashion1 = null!, _fashion2 = null!;
    private FashionCnn _cnn1 = null!;
    private OddFashionCnn _oddCnn1 = null!;
    private TrainingSession _trainOddCnn1 = null!;
    private DataLoader _loaderOddCnn1 = null!;
    private TrainingSession _trainMnist1 = null!, _trainMnist2 = null!, _trainFashion1 = null!, _trainFashion2 = null!, _trainCnn1 = null!;
    private DataLoader _loaderMnist1 = null!, _loaderMnist2 = null!, _loaderFashion1 = null!, _loaderFashion2 = null!, _loaderCnn1 = null!, _testLoader = null!;
    private readonly float[] _output = new float[MnistNet.OutputSize];
    private int _image;

    [GlobalSetup]
    public void Setup()
    {
        _train = BenchmarkData.FashionTrain;
        _test = BenchmarkData.FashionTest;

        // One network (and loader, with its own shuffle state) per workload, so workloads do not
        // share weights or thread settings.
        _mnist1 = new MnistNet(seed: 0);
        Threads.Set(_mnist1, 1);
        _mnist2 = new MnistNet(seed: 0);
        Threads.Set(_mnist2, 2);
        _mnistInference2 = new MnistNet(seed: 0);
        Threads.Set(_mnistInference2, 2);
        _mnistSingle = new MnistNet(seed: 0);
        Threads.Set(_mnistSingle, 1);
        _fashion1 = new FashionNet(seed: 0);
        Threads.Set(_fashion1, 1);
        _fashion2 = new FashionNet(seed: 0);
        Threads.Set(_fashion2, 2);

        _trainMnist1 = new TrainingSession(_mnist1);
        _trainMnist2 = new TrainingSession(_mnist2);
        _trainFashion1 = new TrainingSession(_fashion1);
        _trainFashion2 = new TrainingSession(_fashion2);
        _cnn1 = new FashionCnn(seed: 0);
        Threads.Set(_cnn1, 1);
        _trainCnn1 = new TrainingSession(_cnn1, new Adam(_cnn1, lr: 3e-3f));
        _oddCnn1 = new OddFashionCnn(seed: 0);
        Threads.Set(_oddCnn1, 1);
        _trainOddCnn1 = new TrainingSession(_oddCnn1, new Adam(_oddCnn1, lr: 3e-3f));
        _loaderOddCnn1 = new DataLoader(_train, EpochBatch, shuffle: true, seed: 1);
        _loaderCnn1 = new DataLoader(_train, EpochBatch, shuffle: true, seed: 1);
        _loaderMnist1 = new DataLoader(_train, EpochBatch, shuffle: true, seed: 1);
        _loaderMnist2 = new DataLoader(_train, EpochBatch, shuffle: true, seed: 1);
        _loaderFashion1 = new DataLoader(_train, EpochBatch, shuffle: true, seed: 1);
        _loaderFashion2 = new DataLoader(_train, EpochBatch, shuffle: true, seed: 1);
        _testLoader = new DataLoader(_test, InferenceBatch);
    }

    [Benchmark(Description = "784-128-10, epoch, 1 thread")]
    [Workload("Fashion-MNIST 784→128→10, batch 64, SGD momentum, one epoch of 60,000, 1 thread", typeof(MnistNet), Pass.Training, samplesPerOperation: BenchmarkData.FashionTrainCount, Threads = 1)]
    public float Epoch784x128x10OneThread() => _trainMnist1.Epoch(_loaderMnist1);

    [Benchmark(Description = "784-128-10, epoch, 2 threads")]
    [Workload("same, 2 threads", typeof(MnistNet), Pass.Training, samplesPerOperation: BenchmarkData.FashionTrainCount, Threads = 2)]
    public float Epoch784x128x10TwoThreads() => _trainMnist2.Epoch(_loaderMnist2);

    [Benchmark(Description = "784-128-10, infer batches of 1000, 2 threads")]
    [Workload("same net, inference, batches of 1000, 2 threads", typeof(MnistNet), Pass.Inference, samplesPerOperation: BenchmarkData.FashionTestCount, Threads = 2)]
    public float InferBatches1000TwoThreads()
    {
        float sum = 0f;
        using (_mnistInference2.NoGrad())
        {
            foreach (var (inputs, _) in _testLoader)
            {
                var outputs = _mnistInference2.Forward(inputs);
                sum += outputs.Data[0];
            }
        }
        return sum;
    }

    [Benchmark(Description = "784-128-10, infer 1 image")]
    [Workload("same net, inference, one image", typeof(MnistNet), Pass.Inference, samplesPerOperation: 1)]
    public float InferOneImage()
    {
        int image = _image;
        _image = (image + 1) % BenchmarkData.FashionTestCount;
        _mnistSingle.Forward(_test.Row(image), _output);
        return _output[0];
    }

    [Benchmark(Description = "784-256-128-10, epoch, 1 thread")]
    [Workload("784→256→128→10, one epoch, 1 thread", typeof(FashionNet), Pass.Training, samplesPerOperation: BenchmarkData.FashionTrainCount, Threads = 1)]
    public float Epoch784x256x128x10OneThread() => _trainFashion1.Epoch(_loaderFashion1);

    [Benchmark(Description = "784-256-128-10, epoch, 2 threads")]
    [Workload("same, 2 threads", typeof(FashionNet), Pass.Training, samplesPerOperation: BenchmarkData.FashionTrainCount, Threads = 2)]
    public float Epoch784x256x128x10TwoThreads() => _trainFashion2.Epoch(_loaderFashion2);

    [Benchmark(Description = "LeNet-5-like CNN with batch norm, epoch, 1 thread")]
    [Workload("Fashion-MNIST CNN (FashionMnistCnn sample), batch 64, Adam, one epoch of 60,000, 1 thread", typeof(FashionCnn), Pass.Training,
        samplesPerOperation: BenchmarkData.FashionTrainCount, Threads = 1)]
    public float EpochFashionCnnOneThread() => _trainCnn1.Epoch(_loaderCnn1);

    [Benchmark(Description = "odd CNN (5, 13 channels; 325-100-50-10), epoch, 1 thread")]
    [Workload("odd widths: the CNN with 5 and 13 channels, 325→100→50→10, batch 64, Adam, one epoch, 1 thread", typeof(OddFashionCnn), Pass.Training,
        samplesPerOperation: BenchmarkData.FashionTrainCount, Threads = 1)]
    public float EpochOddFashionCnnOneThread() => _trainOddCnn1.Epoch(_loaderOddCnn1);
}
