using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace CompiledNets;

/// <summary>
/// Persistent background threads. Between parts a worker spins for a short while watching for new
/// work (training runs parallel parts every few hundred microseconds, and waking a blocked thread
/// costs tens of microseconds), then blocks on an event until the dispatcher sets it.
/// </summary>
/// <remarks>
/// The parts of a round are not dealt out in advance: the dispatcher and the woken workers take them one at a time
/// from a shared counter until none is left. A thread slowed down by another process on its core then simply takes
/// fewer parts, and a worker that wakes late finds nothing left rather than holding the round up. Which thread runs a
/// part never changes what the part computes, so results do not depend on who took what. The counter word also holds
/// the round's number and part count, so a worker still looking at an old round cannot take a part of the next one.
/// </remarks>
internal sealed class WorkerPool
{
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 2000; // 0.5 ms

    /// <summary>
    /// How long the dispatcher spins for the last parts before it blocks: a worker that took a part and then lost its
    /// core to another process would otherwise be waited for by a spinning thread that holds the only free core; blocked,
    /// the dispatcher leaves that core to the worker.
    /// </summary>
    private static readonly long FinishSpinTicks = System.Diagnostics.Stopwatch.Frequency / 10000; // 0.1 ms
    private const int HelperBits = 16;
    private const long HelperMask = (1L << HelperBits) - 1;

    /// <summary>The most parts a round may have: the claim word holds a part index and a count in 16 bits each.</summary>
    public const int MaximumParts = 0xFFFF;

    private readonly object _gate = new();
    private readonly ManualResetEventSlim[] _wake;
    private readonly int[] _sleeping;
    private readonly long[] _allocated;
    private IParallelWork? _work;
    private int _workItem;
    // The round number and the round's helper count in one word, so a worker that wakes for a round reads the
    // helper count of that round, never of a later one: round << HelperBits | helpers.
    private long _round;
    // The parts still to take: (round & 0xFFFFFFFF) << 32 | parts << 16 | next part.
    private long _claim;
    private int _done;
    private int _dispatcherWaiting;
    private readonly ManualResetEventSlim _finished = new(false, spinCount: 1);
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
        if (parts > MaximumParts) throw new ArgumentOutOfRangeException(nameof(parts), parts, $"Expected at most {MaximumParts} parts but got {parts}.");
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
            _error = null;
            Volatile.Write(ref _done, 0);
            long round = (_round >> HelperBits) + 1;
            // Open the parts, then publish the round (both full fences), then wake the workers that went to sleep.
            Interlocked.Exchange(ref _claim, (round & 0xFFFFFFFF) << 32 | (long)parts << 16);
            Interlocked.Exchange(ref _round, round << HelperBits | (long)helpers);
            for (int i = 0; i < helpers; i++)
            {
                if (Volatile.Read(ref _sleeping[i]) == 1)
                {
                    _wake[i].Set();
                }
            }
            RunParts(round, worker: -1);
            WaitUntilDone(parts);
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

    /// <summary>Spins a little for the parts the workers are still running, then blocks until the last one sets the event.</summary>
    private void WaitUntilDone(int parts)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _done) < parts)
        {
            if (System.Diagnostics.Stopwatch.GetTimestamp() - started < FinishSpinTicks)
            {
                Thread.SpinWait(20);
                continue;
            }
            // Reset, announce the wait (a full fence), then look once more: either this thread sees the last part done, or
            // the worker finishing it sees the flag and sets the event. Resetting here, not at the round's start, also drops a
            // late Set from a round that ended while the dispatcher was announcing its wait.
            _finished.Reset();
            Interlocked.Exchange(ref _dispatcherWaiting, 1);
            if (Volatile.Read(ref _done) < parts)
            {
                _finished.Wait();
            }
            Volatile.Write(ref _dispatcherWaiting, 0);
        }
    }

    /// <summary>
    /// Takes parts of <paramref name="round"/> and runs them until none is left (or the round is over); a worker
    /// (<paramref name="worker"/> ≥ 0) records its allocations before it reports each part done.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunParts(long round, int worker)
    {
        while (true)
        {
            long claim = Volatile.Read(ref _claim);
            int next = (int)(claim & 0xFFFF), parts = (int)((claim >> 16) & 0xFFFF);
            if (claim >> 32 != (round & 0xFFFFFFFF) || next >= parts)
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _claim, claim + 1, claim) != claim)
            {
                continue;
            }
            // Part next of this round is ours and not done, so the dispatcher is still in this round: its work is current.
            try
            {
                _work!.RunPart(_workItem, next, parts);
            }
            catch (Exception error)
            {
                Interlocked.CompareExchange(ref _error, error, null);
            }
            if (worker >= 0)
            {
                Volatile.Write(ref _allocated[worker], GC.GetAllocatedBytesForCurrentThread());
            }
            if (Interlocked.Increment(ref _done) == parts && Volatile.Read(ref _dispatcherWaiting) == 1)
            {
                _finished.Set();
            }
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
                RunParts(seen >> HelperBits, index);
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
