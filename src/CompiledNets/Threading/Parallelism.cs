using System;
using System.Threading;

namespace CompiledNets;

/// <summary>
/// Runs the parts of a work item on the calling thread and on a small pool of persistent worker
/// threads, without allocating. Generated networks split each large product by output rows, so
/// every float is computed by one thread in one fixed order: results are bitwise identical for any
/// number of threads.
/// </summary>
public static class Parallelism
{
    private static readonly Lazy<WorkerPool> Pool = new(() => new WorkerPool(Environment.ProcessorCount - 1));

    /// <summary>The default thread count of new networks: the number of logical processors.</summary>
    public static int DefaultThreadCount { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Runs parts 0 … <paramref name="parts"/> − 1 of <paramref name="work"/> and returns when all are done.
    /// Part 0 runs on the calling thread. When the pool is busy (another network is running parts),
    /// the parts run one after another on the calling thread, with the same results.
    /// </summary>
    public static void Run(IParallelWork work, int workItem, int parts)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (parts <= 1 || Environment.ProcessorCount == 1)
        {
            for (int part = 0; part < Math.Max(parts, 1); part++)
            {
                work.RunPart(workItem, part, Math.Max(parts, 1));
            }
            return;
        }
        Pool.Value.Run(work, workItem, parts);
    }

    /// <summary>Bytes allocated so far by the worker threads (tests check that parallel parts allocate nothing).</summary>
    internal static long WorkerAllocatedBytes => Pool.IsValueCreated ? Pool.Value.AllocatedBytes : 0;

    /// <summary>The start of part <paramref name="part"/> when <paramref name="count"/> rows are split into <paramref name="parts"/> runs aligned to <paramref name="align"/>.</summary>
    public static int PartStart(int count, int part, int parts, int align)
    {
        int chunk = (count + parts - 1) / parts;
        chunk = (chunk + align - 1) / align * align;
        return Math.Min(count, part * chunk);
    }
}

/// <summary>Persistent background threads that each wait on a semaphore for the next part to run.</summary>
internal sealed class WorkerPool
{
    private readonly object _gate = new();
    private readonly SemaphoreSlim[] _wake;
    private readonly long[] _allocated;
    private IParallelWork? _work;
    private int _workItem;
    private int _parts;
    private int _remaining;
    private Exception? _error;

    public WorkerPool(int workers)
    {
        _wake = new SemaphoreSlim[Math.Max(0, workers)];
        _allocated = new long[_wake.Length];
        for (int i = 0; i < _wake.Length; i++)
        {
            _wake[i] = new SemaphoreSlim(0);
            int index = i;
            var thread = new Thread(() => Loop(index)) { IsBackground = true, Name = $"CompiledNets worker {index + 1}" };
            thread.Start();
        }
    }

    public void Run(IParallelWork work, int workItem, int parts)
    {
        if (!Monitor.TryEnter(_gate))
        {
            for (int part = 0; part < parts; part++) work.RunPart(workItem, part, parts);
            return;
        }
        try
        {
            int helpers = Math.Min(parts - 1, _wake.Length);
            _work = work;
            _workItem = workItem;
            _parts = parts;
            _error = null;
            Volatile.Write(ref _remaining, helpers);
            for (int i = 0; i < helpers; i++)
            {
                _wake[i].Release();
            }
            // Parts beyond the pool's size (a thread count above the processor count) run here too.
            try
            {
                work.RunPart(workItem, 0, parts);
                for (int part = helpers + 1; part < parts; part++) work.RunPart(workItem, part, parts);
            }
            catch (Exception error)
            {
                Interlocked.CompareExchange(ref _error, error, null);
            }
            var spin = new SpinWait();
            while (Volatile.Read(ref _remaining) > 0)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
            _work = null;
            if (_error is { } failure)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    private void Loop(int index)
    {
        while (true)
        {
            _wake[index].Wait();
            try
            {
                _work!.RunPart(_workItem, index + 1, _parts);
            }
            catch (Exception error)
            {
                Interlocked.CompareExchange(ref _error, error, null);
            }
            Volatile.Write(ref _allocated[index], GC.GetAllocatedBytesForCurrentThread());
            Interlocked.Decrement(ref _remaining);
        }
    }

    public long AllocatedBytes
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _allocated.Length; i++) sum += Volatile.Read(ref _allocated[i]);
            return sum;
        }
    }
}
