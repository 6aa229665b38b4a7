using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using CompiledNets;

namespace CompiledNets.Benchmarks;

/// <summary>
/// Issue 12's robustness rows: the 784 → 128 → 10 epoch on one thread and on two while another process keeps one core
/// busy (a shell spinning in a loop, started before the rows and stopped after). Two threads must not lose much to one
/// when a core is taken.
/// </summary>
public class BusyCoreBenchmarks
{
    private TrainingSession _train1 = null!, _train2 = null!;
    private DataLoader _loader1 = null!, _loader2 = null!;
    private Process? _spinner;

    [GlobalSetup]
    public void Setup()
    {
        Dataset train = BenchmarkData.FashionTrain;
        var one = new MnistNet(seed: 0);
        var two = new MnistNet(seed: 0);
        Threads.Set(one, 1);
        Threads.Set(two, 2);
        _train1 = new TrainingSession(one);
        _train2 = new TrainingSession(two);
        _loader1 = new DataLoader(train, 64, shuffle: true, seed: 1);
        _loader2 = new DataLoader(train, 64, shuffle: true, seed: 1);
        _spinner = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done"]) { UseShellExecute = false });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_spinner is { HasExited: false })
        {
            _spinner.Kill();
            _spinner.WaitForExit();
        }
        _spinner?.Dispose();
    }

    [Benchmark(Description = "784-128-10, epoch, 1 thread, a core busy")]
    [Workload("784→128→10 epoch, 1 thread, another process spinning on a core", typeof(MnistNet), Pass.Training,
        samplesPerOperation: BenchmarkData.FashionTrainCount, Threads = 1)]
    public float EpochOneThreadBusyCore() => _train1.Epoch(_loader1);

    [Benchmark(Description = "784-128-10, epoch, 2 threads, a core busy")]
    [Workload("same, 2 threads, another process spinning on a core", typeof(MnistNet), Pass.Training,
        samplesPerOperation: BenchmarkData.FashionTrainCount, Threads = 2)]
    public float EpochTwoThreadsBusyCore() => _train2.Epoch(_loader2);
}
