using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace CompiledNets;

/// <summary>
/// Persistent background threads. Between parts a worker spins for a short while watching for new
/// work (training runs parallel parts every few hundred microseconds, and waking a blocked thread
/// costs tens of microseconds), then blocks on an event until the dispatcher sets it.
/// </summary>
internal sealed class WorkerPool
{
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 2000; // 0.5 ms

    private readonly object _gate = new();
    private readonly ManualResetEventSlim[] _wake;
    private readonly int[] _sleeping;
    private readonly long[] _allocated;
    private IParallelWork? _work;
    private int _workItem;
    private int _parts;
    private int _helpers;
    private long _generation;
    private int _remaining;
    private Exception? _error;

    public WorkerPool(int workers)
    {
        _wake = new ManualResetEventSlim[Math.Max(0, workers)];
        _sleeping = new int[_wake.Length];
        _allocated = new long[_wake.Length];
        for (int i = 0; i < _wake.Length; i++)
        {
            _wake[i] = new ManualResetEventSlim(false, spinCount: 1);
            int index = i;
            var thread = new Thread(() => Loop(index)) { IsBackground = true, Name = $"CompiledNets worker {index + 1}" };
            thread.Start();
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(IParallelWork work, int workItem, int parts)
    {
        if (!System.Threading.Monitor.TryEnter(_gate))
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
            _helpers = helpers;
            _error = null;
            Volatile.Write(ref _remaining, helpers);
            // Publish the work (a full fence), then wake the workers that went to sleep.
            Interlocked.Increment(ref _generation);
            for (int i = 0; i < helpers; i++)
            {
                if (Volatile.Read(ref _sleeping[i]) == 1)
                {
                    _wake[i].Set();
                }
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
            System.Threading.Monitor.Exit(_gate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Loop(int index)
    {
        long seen = 0;
        while (true)
        {
            seen = WaitForWork(index, seen);
            if (index < _helpers)
            {
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
    }

    /// <summary>Returns the generation of the next work item: spinning first, then asleep on the event.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long WaitForWork(int index, long seen)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            long generation = Volatile.Read(ref _generation);
            if (generation != seen)
            {
                return generation;
            }
            if (System.Diagnostics.Stopwatch.GetTimestamp() - started < SpinTicks)
            {
                Thread.SpinWait(20);
                continue;
            }
            // Announce sleep (a full fence), then look once more: either this thread sees the new
            // generation, or the dispatcher sees the flag and sets the event.
            _wake[index].Reset();
            Interlocked.Exchange(ref _sleeping[index], 1);
            if (Volatile.Read(ref _generation) == seen)
            {
                _wake[index].Wait();
            }
            Volatile.Write(ref _sleeping[index], 0);
            started = System.Diagnostics.Stopwatch.GetTimestamp();
        }
    }
}
