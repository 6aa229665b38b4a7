using System;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>Products split over threads by output rows give bitwise the same numbers as one thread.</summary>
public sealed class ThreadingTests
{
    /// <summary>
    /// <see cref="TrainOnce"/>, again after the pool's solo stretch if one overlapped it: passes cut for one thread then
    /// (<see cref="Parallelism.ThreadsNow"/>) would compare one thread with itself.
    /// </summary>
    private static float[] Train(int threads, int batch, int steps, string network = nameof(MnistNet)) =>
        threads == 1 ? TrainOnce(threads, batch, steps, network) : Parallelism.RunCutForEveryThread(() => TrainOnce(threads, batch, steps, network));

    private static float[] TrainOnce(int threads, int batch, int steps, string network)
    {
        INetwork net = network switch
        {
            nameof(MnistNet) => new MnistNet(seed: 5),
            nameof(PanelNet) => new PanelNet(seed: 5),
            nameof(SmallBatchNet) => new SmallBatchNet(seed: 5),
            nameof(NarrowInputNet) => new NarrowInputNet(seed: 5),
            nameof(WideHiddenNet) => new WideHiddenNet(seed: 5),
            nameof(ClassifierNet) => new ClassifierNet(seed: 5),
            _ => new OddRowsNet(seed: 5),
        };
        net.ThreadCount = threads;
        var criterion = new CrossEntropyLoss();
        var optimizer = new Sgd(net, lr: 0.05f, momentum: 0.9f);
        float[] inputs = TestData.Normal(batch * net.InputSize, seed: 6);
        int[] labels = TestData.Labels(batch, net.OutputSize, seed: 7);
        for (int step = 0; step < steps; step++)
        {
            optimizer.ZeroGrad();
            criterion.Forward(net.Forward(inputs), labels).Backward();
            optimizer.Step();
        }
        using (net.NoGrad())
        {
            // Batched inference is split too; append its logits to what is compared.
            return [.. net.Parameters, .. net.Forward(inputs).Data];
        }
    }

    [Theory]
    [InlineData(64, nameof(MnistNet))]
    [InlineData(61, nameof(MnistNet))] // rows that do not divide into tiles or threads evenly
    [InlineData(128, nameof(OddRowsNet))] // weight-gradient rows (30, 45) in tiles that are not 4
    [InlineData(64, nameof(PanelNet))] // forwards split by columns into parts narrower than a panel
    [InlineData(256, nameof(MnistNet))] // a large batch's forward split by rows after a pack split by outputs
    [InlineData(302, nameof(PanelNet))] // the same for two packed layers, the last part ending in a tile's spare rows
    [InlineData(16, nameof(MnistNet))] // a small batch's forward split by groups of outputs (32 vector registers)
    [InlineData(7, nameof(MnistNet))] // the same on every machine
    [InlineData(7, nameof(SmallBatchNet))] // the same, the last part holding the output after the whole groups
    [InlineData(2048, nameof(NarrowInputNet))] // a weight gradient of rows shorter than a vector, split by its rows
    [InlineData(4096, nameof(NarrowInputNet))] // the same in four parts: [32, 48) and [48, 52) take one-vector tiles
    [InlineData(256, nameof(WideHiddenNet))] // an input gradient summed in two depth blocks, in three blocks of rows, split by its rows
    [InlineData(1200, nameof(ClassifierNet))] // 25 weight-gradient rows in tiles of 7 (32 registers), in two parts: [0, 16) and [16, 25)
    [InlineData(2400, nameof(ClassifierNet))] // 10 weight-gradient rows in tiles of 5, in two parts: [0, 8) and [8, 10)
    public void One_two_and_three_threads_give_identical_bits(int batch, string network)
    {
        float[] one = Train(threads: 1, batch, steps: 4, network);
        float[] two = Train(threads: 2, batch, steps: 4, network);
        float[] three = Train(threads: 3, batch, steps: 4, network);
        Assert.True(one.AsSpan().SequenceEqual(two), "2 threads differ from 1");
        Assert.True(one.AsSpan().SequenceEqual(three), "3 threads differ from 1");
    }

    [Fact]
    public void Zero_grad_split_over_threads_between_forward_and_backward_changes_no_parameter()
    {
        // PyTorch allows forward, zero_grad, backward; clearing the gradients in parallel parts must not count as changing the
        // parameters (which would refuse the backward), and must give the gradients of the usual order.
        float[] inputs = TestData.Normal(32 * MnistNet.InputSize, seed: 8);
        int[] labels = TestData.Labels(32, MnistNet.OutputSize, seed: 9);
        float[] Gradients(bool zeroFirst)
        {
            var net = new MnistNet(seed: 3) { ThreadCount = 2 };
            var optimizer = new Sgd(net, lr: 0.1f);
            var criterion = new CrossEntropyLoss();
            net.Gradients.Fill(1f);
            if (zeroFirst) optimizer.ZeroGrad();
            var loss = criterion.Forward(net.Forward(inputs), labels);
            if (!zeroFirst) optimizer.ZeroGrad();
            loss.Backward();
            return net.Gradients.ToArray();
        }
        Assert.True(Gradients(zeroFirst: true).AsSpan().SequenceEqual(Gradients(zeroFirst: false)));
    }

    [Fact]
    public void Partition_covers_every_row_once_in_aligned_runs()
    {
        foreach (int count in new[] { 1, 5, 61, 64, 128, 1000 })
        {
            foreach (int parts in new[] { 1, 2, 3, 8 })
            {
                int previous = 0;
                for (int part = 0; part < parts; part++)
                {
                    int start = Parallelism.PartStart(count, part, parts, 4);
                    int end = Parallelism.PartStart(count, part + 1, parts, 4);
                    Assert.Equal(previous, start);
                    Assert.True(start <= end);
                    Assert.True(start % 4 == 0 || start == count);
                    previous = end;
                }
                Assert.Equal(count, previous);
            }
        }
    }

    [Fact]
    public void Partition_arguments_are_checked()
    {
        Assert.Equal("parts", Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.PartStart(10, 0, 0, 4)).ParamName);
        Assert.Equal("part", Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.PartStart(10, 3, 2, 4)).ParamName);
        Assert.Equal("align", Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.PartStart(10, 0, 2, 0)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.DefaultThreadCount = 0).ParamName);
    }

    [Fact]
    public void Thread_count_must_be_positive()
    {
        var net = new MnistNet(seed: 0);
        Assert.Equal(Parallelism.DefaultThreadCount, net.ThreadCount);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => net.ThreadCount = 0);
        Assert.Equal("ThreadCount", error.ParamName);
    }

    [Fact]
    public void An_exception_in_a_part_reaches_the_caller_and_the_pool_keeps_working()
    {
        var work = new FailingWork();
        var error = Assert.Throws<InvalidOperationException>(() => Parallelism.Run(work, 0, 2));
        Assert.Equal("part 1 failed", error.Message);
        Parallelism.Run(work, 1, 2); // work item 1 does not fail
        Assert.Equal(2, work.Completed);
    }

    private sealed class FailingWork : IParallelWork
    {
        public int Completed;

        public void RunPart(int work, int part, int parts)
        {
            if (work == 0 && part == 1) throw new InvalidOperationException("part 1 failed");
            if (work == 1) System.Threading.Interlocked.Increment(ref Completed);
        }
    }

    [Fact]
    public void A_pool_larger_than_some_rounds_runs_every_part_of_every_round_exactly_once()
    {
        // Rounds alternate between using one worker and using all three, and the third worker pauses now and then
        // between waking and looking at the round: a worker that sat a round out then meets the next round's start.
        // Each part must run once, and Run must not return before all of them are done.
        int wakes = 0;
        var pool = new WorkerPool(workers: 3, afterWakeForTests: index =>
        {
            if (index == 2 && System.Threading.Interlocked.Increment(ref wakes) % 4 == 0) System.Threading.Thread.Sleep(1);
        });
        var work = new CountingWork();
        int rounds = 1_500, bad = 0;
        for (int round = 0; round < rounds; round++)
        {
            int parts = round % 3 == 0 ? 4 : 2;
            work.Reset();
            pool.Run(work, round, parts);
            if (!work.RanOnce(parts)) bad++;
        }
        Assert.Equal(0, bad);
    }

    [Fact]
    public void A_worker_held_up_after_waking_takes_no_part_and_the_round_does_not_wait_for_it()
    {
        // As when another process holds the worker's core: it woke for the round but cannot run. The parts are taken
        // from a shared counter, so the calling thread takes all of them and Run returns while the worker is still held
        // (parts dealt out in advance would leave Run waiting for the worker's share); once let go, the worker finds the
        // round over and takes nothing, not even from the next rounds.
        var held = new System.Threading.ManualResetEventSlim(false); // not disposed: the worker thread outlives the test
        var woke = new System.Threading.ManualResetEventSlim(false);
        int heldWakes = 0;
        var pool = new WorkerPool(workers: 1, afterWakeForTests: _ =>
        {
            if (System.Threading.Interlocked.Increment(ref heldWakes) == 1)
            {
                woke.Set();
                held.Wait(TimeSpan.FromSeconds(30));
            }
        });
        // The first part waits until the worker has woken for the round (and is being held), so the round is sure to
        // meet a held worker.
        var first = new WaitingWork(woke);
        pool.Run(first, 0, 8);
        bool workerStillHeld = !held.IsSet && System.Threading.Volatile.Read(ref heldWakes) == 1;
        Assert.True(first.Counts.RanOnce(8));
        held.Set();
        var work = new CountingWork();
        for (int round = 1; round <= 200; round++)
        {
            work.Reset();
            pool.Run(work, round, 8);
            Assert.True(work.RanOnce(8), $"round {round}: a part ran twice or not at all");
        }
        Assert.True(first.WorkerWoke, "the worker never woke for the first round");
        Assert.True(workerStillHeld, "Run returned only after the held worker was let go");
    }

    [Fact]
    public void Each_thread_takes_the_run_of_parts_it_owns_first()
    {
        // Two threads, four parts: the caller owns parts 0-1, the worker parts 2-3. Part 0 holds the caller until the worker
        // has started a part, so the worker's first claim meets parts 1-3 free: it must take part 2, the lowest of its own.
        // (The worker's pauses would look like a core taken by another process: that judgement is off here.)
        var pool = new WorkerPool(workers: 1, runAloneWhenHeldUp: false);
        for (int round = 0; round < 10; round++)
        {
            var work = new OwnershipWork();
            pool.Run(work, round, 4);
            Assert.Equal(Environment.CurrentManagedThreadId, work.Threads[0]);
            Assert.NotEqual(Environment.CurrentManagedThreadId, work.Threads[2]);
            Assert.Equal(2, work.WorkersFirst);
        }
    }

    private sealed class OwnershipWork : IParallelWork
    {
        private readonly System.Threading.ManualResetEventSlim _workerStarted = new(false);
        private readonly int _caller = Environment.CurrentManagedThreadId;
        public readonly int[] Threads = new int[4];
        public int WorkersFirst = -1;

        public void RunPart(int work, int part, int parts)
        {
            Threads[part] = Environment.CurrentManagedThreadId;
            if (Environment.CurrentManagedThreadId != _caller && System.Threading.Interlocked.CompareExchange(ref WorkersFirst, part, -1) == -1)
            {
                _workerStarted.Set();
                System.Threading.Thread.Sleep(2); // long enough that the caller claims part 0 meanwhile
            }
            if (part == 0)
            {
                _workerStarted.Wait(TimeSpan.FromSeconds(5));
            }
        }
    }

    [Fact]
    public void A_round_runs_on_no_more_threads_than_asked_however_many_parts()
    {
        // Products are cut into up to four parts per thread; a network's ThreadCount still bounds the threads that run them.
        var pool = new WorkerPool(workers: 3, runAloneWhenHeldUp: false);
        for (int round = 0; round < 20; round++)
        {
            var work = new ThreadRecordingWork();
            pool.Run(work, round, parts: 8, threads: 2);
            Assert.True(work.Threads.Count <= 2, $"round {round}: parts ran on {work.Threads.Count} threads");
            Assert.Equal(8, work.Parts);
        }
    }

    private sealed class ThreadRecordingWork : IParallelWork
    {
        public readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> ThreadSet = new();
        public int Parts;

        public System.Collections.Generic.ICollection<int> Threads => ThreadSet.Keys;

        public void RunPart(int work, int part, int parts)
        {
            ThreadSet[Environment.CurrentManagedThreadId] = true;
            System.Threading.Thread.SpinWait(20_000);
            System.Threading.Interlocked.Increment(ref Parts);
        }
    }

    [Fact]
    public void Rounds_held_up_by_a_worker_that_loses_its_core_move_to_the_calling_thread()
    {
        // A worker whose every part stalls for 3 ms, as when another process holds its core: the caller waits for it longer
        // than it works, round after round. The pool must notice and run the parts itself, so that within a few hundred
        // milliseconds nearly every round runs on the calling thread alone.
        var pool = new WorkerPool(workers: 1);
        var work = new StallingWork(Environment.CurrentManagedThreadId);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int late = 0, lateOnWorker = 0;
        while (clock.Elapsed < TimeSpan.FromMilliseconds(800))
        {
            work.RanOnWorker = false;
            pool.Run(work, 0, 2);
            if (clock.Elapsed > TimeSpan.FromMilliseconds(500))
            {
                late++;
                if (work.RanOnWorker) lateOnWorker++;
            }
        }
        Assert.True(late > 0);
        Assert.True(lateOnWorker * 4 < late, $"in the last 300 ms, {lateOnWorker} of {late} rounds still waited for the stalling worker");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rounds_whose_worker_hardly_runs_its_parts_go_to_the_calling_thread_and_say_so(bool runAloneWhenHeldUp)
    {
        // A worker that takes 5 ms to look at each round after it wakes, as when its core is busy elsewhere: the caller runs
        // every part itself without waiting, so no round is held up, but the worker runs almost none of the parts it owns.
        // The pool must notice at the end of a window (100 ms from its start), not before, and say it runs alone, so that
        // callers cut work for one thread; with the judgement off it never does.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var pool = new WorkerPool(workers: 1, afterWakeForTests: _ => System.Threading.Thread.Sleep(5), runAloneWhenHeldUp: runAloneWhenHeldUp);
        var work = new CountingWork();
        bool alone = false;
        while (clock.Elapsed < TimeSpan.FromMilliseconds(600) && !alone)
        {
            work.Reset();
            pool.Run(work, 0, 4);
            Assert.True(work.RanOnce(4));
            alone = pool.RunsAlone;
        }
        Assert.Equal(runAloneWhenHeldUp, alone);
        if (alone)
        {
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(100), $"went alone after {clock.Elapsed.TotalMilliseconds} ms, within its first window");
        }
    }

    private sealed class StallingWork(int caller) : IParallelWork
    {
        public bool RanOnWorker;

        public void RunPart(int work, int part, int parts)
        {
            if (Environment.CurrentManagedThreadId != caller)
            {
                RanOnWorker = true;
                System.Threading.Thread.Sleep(3);
                return;
            }
            System.Threading.Thread.SpinWait(200);
        }
    }

    /// <summary>Counts its parts; part 0 first waits (up to 30 s) for an event.</summary>
    private sealed class WaitingWork(System.Threading.ManualResetEventSlim before) : IParallelWork
    {
        public CountingWork Counts { get; } = new();

        public bool WorkerWoke { get; private set; }

        public void RunPart(int work, int part, int parts)
        {
            if (part == 0) WorkerWoke = before.Wait(TimeSpan.FromSeconds(30));
            Counts.RunPart(work, part, parts);
        }
    }

    private sealed class CountingWork : IParallelWork
    {
        private readonly int[] _runs = new int[8];

        public void Reset() => Array.Clear(_runs);

        public bool RanOnce(int parts)
        {
            for (int part = 0; part < _runs.Length; part++)
            {
                if (System.Threading.Volatile.Read(ref _runs[part]) != (part < parts ? 1 : 0)) return false;
            }
            return true;
        }

        public void RunPart(int work, int part, int parts)
        {
            System.Threading.Thread.SpinWait(50);
            System.Threading.Interlocked.Increment(ref _runs[part]);
        }
    }
}
