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
    private const int HelperBits = 16;
    private const long HelperMask = (1L << HelperBits) - 1;


    private readonly object _gate = new();
    private readonly ManualResetEventSlim[] _wake;
    private readonly int[] _sleeping;
    private readonly long[] _allocated;
    private IParallelWork? _work;
    private int _workItem;
    private int _parts;
    // The round number and the round's helper count in one word, so a worker that wakes for a round reads the
    // helper count of that round, never of a later one: round << HelperBits | helpers.
    private long _round;
    private int _remaining;
    private Exception? _error;

    /// <summary>Called by a worker (with its index) between waking for a round and looking at it: tests widen that window.</summary>
    private readonly Action<int>? _afterWake;

    public WorkerPool(int workers, Action<int>? afterWakeForTests = null)
    {
        _afterWake = afterWakeForTests;
        _wake = new ManualResetEventSlim[Math.Clamp(workers, 0, (int)HelperMask)];
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
            _error = null;
            Volatile.Write(ref _remaining, helpers);
            // Publish the work with the next round number (a full fence), then wake the workers that went to sleep.
            Interlocked.Exchange(ref _round, ((_round >> HelperBits) + 1) << HelperBits | (long)helpers);
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
            _afterWake?.Invoke(index);
            if (index < (int)(seen & HelperMask))
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

    /// <summary>Returns the next round (number and helper count): spinning first, then asleep on the event.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long WaitForWork(int index, long seen)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            long round = Volatile.Read(ref _round);
            if (round != seen)
            {
                return round;
            }
            if (System.Diagnostics.Stopwatch.GetTimestamp() - started < SpinTicks)
            {
                Thread.SpinWait(20);
                continue;
            }
            // Announce sleep (a full fence), then look once more: either this thread sees the new
            // round, or the dispatcher sees the flag and sets the event.
            _wake[index].Reset();
            Interlocked.Exchange(ref _sleeping[index], 1);
            if (Volatile.Read(ref _round) == seen)
            {
                _wake[index].Wait();
            }
            Volatile.Write(ref _sleeping[index], 0);
            started = System.Diagnostics.Stopwatch.GetTimestamp();
        }
    }
}
