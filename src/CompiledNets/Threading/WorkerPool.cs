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
/// <para>Each thread of a round owns a run of its parts (the dispatcher the first, worker i the (i + 1)-th) and takes
/// them first, so that a product split the same way step after step keeps each part's data in one core's cache: the
/// rows of a weight a part transposes, multiplies and updates, the rows of activations it writes. On this kind of
/// machine a core reading what the other one just wrote pays far more than a read from its own cache. A thread that
/// has run its own parts then takes the others' that nobody has started, from the end of their runs, so a thread
/// slowed down by another process on its core runs fewer parts instead of holding the round up, and a worker that wakes
/// late finds nothing left.</para>
/// <para>A thread that has taken a part and then loses its core to another process holds the round up for as long as the
/// scheduler keeps it off (milliseconds, where a part takes microseconds). The dispatcher notices such a round (it waited
/// for the others longer than it worked, and long). A fifth of 100 ms or more spent in such waits means a core is taken,
/// and it then runs every part itself for a while (50 ms, doubling while it keeps happening, up to a second): the rounds
/// run about as fast as on one thread rather than at the mercy of the scheduler. A hold-up now and then (a virtual
/// machine's core lent elsewhere for a few milliseconds) costs only its wait. A window in which the workers ran fewer
/// parts than a quarter of those they own does the same (once they own enough parts in it to tell, and unless the rounds
/// paused, when a worker sleeps and wakes late): their cores were busy elsewhere, so the dispatcher ran the parts one after
/// another without waiting. Meanwhile callers cut their work for one thread (<see cref="RunsAlone"/>,
/// <see cref="Parallelism.ThreadsNow"/>), which runs faster than the same work cut for two and run on one.</para>
/// <para>Which thread runs a part never changes what the part computes, so results do not depend on who took what. The
/// claim word holds the round's number beside the claimed parts, so a worker still looking at an old round cannot take
/// a part of the next one.</para>
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
    /// <summary>A wait for the other threads at least this long (and longer than the dispatcher worked) marks a round as held up.</summary>
    private static readonly long HeldUpTicks = System.Diagnostics.Stopwatch.Frequency / 5000; // 0.2 ms

    private static readonly long WindowTicks = System.Diagnostics.Stopwatch.Frequency / 10; // 100 ms
    private static readonly long SoloTicksFirst = System.Diagnostics.Stopwatch.Frequency / 20; // 50 ms
    private static readonly long SoloTicksMost = System.Diagnostics.Stopwatch.Frequency; // 1 s

    private const int HelperBits = 16;
    private const long HelperMask = (1L << HelperBits) - 1;

    /// <summary>The most parts one round holds: the claim word has a bit for each, beside 16 bits of round number.</summary>
    public const int MaximumParts = 48;
    private const long ClaimMask = (1L << MaximumParts) - 1;

    /// <summary>
    /// The fewest parts the workers must own in a window before their share is judged: rounds that sparse (a Predict now and
    /// then) find a worker asleep, which wakes late however free its core.
    /// </summary>
    private const int JudgedParts = 64;

    private readonly object _gate = new();
    private readonly ManualResetEventSlim[] _wake;
    private readonly int[] _sleeping;
    private readonly long[] _allocated;
    private IParallelWork? _work;
    private int _workItem;
    // The round number and the round's helper count in one word, so a worker that wakes for a round reads the
    // helper count of that round, never of a later one: round << HelperBits | helpers.
    private long _round;
    // The parts taken so far: (round & 0xFFFF) << 48 | one bit per part taken.
    private long _claim;
    // The round's parts (count, where they start among all parts) and threads: written before the round opens, read by
    // a thread after it read the claim word, and trusted only once its claim of a part of that round succeeded.
    private int _parts;
    private int _partOffset;
    private int _count;
    private int _threads;
    private int _done;
    private int _dispatcherWaiting;
    private readonly ManualResetEventSlim _finished = new(false, spinCount: 1);

    private readonly bool _runAloneWhenHeldUp;

    // Until when rounds run on the calling thread alone, and for how long the next held-up round sends them there.
    private long _soloUntil;
    private long _soloTicks = SoloTicksFirst;
    private long _soloStretches;
    // Time spent waiting in held-up rounds since the window started (timestamp ticks), the parts the workers ran (their
    // own or the dispatcher's), and the parts they own.
    private long _windowStart = System.Diagnostics.Stopwatch.GetTimestamp();
    private long _heldUpInWindow;
    private long _workersRanInWindow;
    private long _workersOwnInWindow;
    private Exception? _error;

    /// <summary>Called by a worker (with its index) between waking for a round and looking at it: tests widen that window.</summary>
    private readonly Action<int>? _afterWake;

    /// <param name="workers">Background threads (the calling thread of a round is one more).</param>
    /// <param name="afterWakeForTests">Called by a worker between waking for a round and looking at it.</param>
    /// <param name="runAloneWhenHeldUp">Whether held-up rounds send the next ones to the calling thread (off only for tests of the claiming order).</param>
    public WorkerPool(int workers, Action<int>? afterWakeForTests = null, bool runAloneWhenHeldUp = true)
    {
        _afterWake = afterWakeForTests;
        _runAloneWhenHeldUp = runAloneWhenHeldUp;
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

    /// <summary>Runs parts 0 … <paramref name="parts"/> − 1 of <paramref name="work"/>, in rounds of at most <see cref="MaximumParts"/>.</summary>
    public void Run(IParallelWork work, int workItem, int parts) => Run(work, workItem, parts, int.MaxValue);

    /// <summary>As <see cref="Run(IParallelWork, int, int)"/>, on at most <paramref name="threads"/> threads, the calling one included.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(IParallelWork work, int workItem, int parts, int threads)
    {
        if (RunsAlone || !System.Threading.Monitor.TryEnter(_gate))
        {
            for (int part = 0; part < parts; part++) work.RunPart(workItem, part, parts);
            return;
        }
        try
        {
            for (int first = 0; first < parts; first += MaximumParts)
            {
                RunRound(work, workItem, first, Math.Min(MaximumParts, parts - first), parts, threads);
            }
        }
        finally
        {
            System.Threading.Monitor.Exit(_gate);
        }
    }

    /// <summary>One round: parts <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1 of <paramref name="parts"/>, on at most <paramref name="threads"/> threads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunRound(IParallelWork work, int workItem, int first, int count, int parts, int threads)
    {
        int helpers = Math.Min(Math.Min(count, threads) - 1, _wake.Length);
        _work = work;
        _workItem = workItem;
        _error = null;
        _parts = parts;
        _partOffset = first;
        _count = count;
        _threads = helpers + 1;
        Volatile.Write(ref _done, 0);
        long round = (_round >> HelperBits) + 1;
        // Open the parts, then publish the round (both full fences), then wake the workers that went to sleep.
        Interlocked.Exchange(ref _claim, (round & 0xFFFF) << MaximumParts);
        Interlocked.Exchange(ref _round, round << HelperBits | (long)helpers);
        for (int i = 0; i < helpers; i++)
        {
            if (Volatile.Read(ref _sleeping[i]) == 1)
            {
                _wake[i].Set();
            }
        }
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        int ranHere = RunParts(round, thread: 0);
        long worked = System.Diagnostics.Stopwatch.GetTimestamp();
        WaitUntilDone(count);
        // The workers own every part but the dispatcher's first run of count / (helpers + 1).
        NoteRound(worked - started, System.Diagnostics.Stopwatch.GetTimestamp() - worked, count - ranHere, count - count / (helpers + 1));
        _work = null;
        if (_error is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>
    /// After a round in which the dispatcher <paramref name="worked"/> and then <paramref name="waited"/> for the others (in
    /// timestamp ticks), and the workers ran <paramref name="workersRan"/> parts (their own or the dispatcher's) where they
    /// own <paramref name="workersOwn"/>: a window in which the workers were held up, or hardly ran, sends the next rounds to
    /// the calling thread alone.
    /// </summary>
    private void NoteRound(long worked, long waited, int workersRan, int workersOwn)
    {
        if (!_runAloneWhenHeldUp)
        {
            return;
        }
        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (waited >= HeldUpTicks && waited >= worked)
        {
            _heldUpInWindow += waited;
        }
        _workersRanInWindow += workersRan;
        _workersOwnInWindow += workersOwn;
        long elapsed = now - _windowStart;
        if (elapsed < WindowTicks)
        {
            return;
        }
        // A hold-up now and then (a virtual machine's core lent elsewhere for a few milliseconds) costs a few percent of a
        // window; a fifth of it or more spent in hold-ups means a core is taken. So does a window in which the workers ran
        // less than a quarter of the parts they own: their cores were busy elsewhere, the dispatcher ran the parts one after
        // another, and a product cut for two threads runs slower on one than the same product cut for one. A window that
        // spans a pause of the rounds (longer than two windows, no hold-up in it) tells nothing: the workers slept through it.
        bool heldUp = _heldUpInWindow * 5 > elapsed;
        bool judged = _workersOwnInWindow >= JudgedParts && elapsed <= 2 * WindowTicks;
        bool absent = judged && _workersRanInWindow * 4 < _workersOwnInWindow;
        if (heldUp || absent)
        {
            long until = now + _soloTicks;
            Volatile.Write(ref _soloUntil, until);
            Interlocked.Increment(ref _soloStretches);
            _soloTicks = Math.Min(2 * _soloTicks, SoloTicksMost);
            // The next window starts when the rounds come back to the pool.
            _windowStart = until;
        }
        else
        {
            if (judged)
            {
                // A whole window of rounds without either: contention has passed, so the next solo stretch starts short again.
                _soloTicks = SoloTicksFirst;
            }
            _windowStart = now;
        }
        _heldUpInWindow = 0;
        _workersRanInWindow = 0;
        _workersOwnInWindow = 0;
    }

    /// <summary>Solo stretches started so far: a test that compares thread counts knows whether its run was cut for one.</summary>
    public long SoloStretches => Interlocked.Read(ref _soloStretches);

    /// <summary>Whether rounds now run on the calling thread alone (after a window of hold-ups or absent workers).</summary>
    public bool RunsAlone => System.Diagnostics.Stopwatch.GetTimestamp() < Volatile.Read(ref _soloUntil);

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
    /// Takes parts of <paramref name="round"/> and runs them until none is left or the round is over: first the run of
    /// parts <paramref name="thread"/> owns, then the others' from the end of their runs. A worker
    /// (<paramref name="thread"/> ≥ 1) records its allocations before it reports each part done.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int RunParts(long round, int thread)
    {
        long tag = (round & 0xFFFF) << MaximumParts;
        int ran = 0;
        while (true)
        {
            long claim = Volatile.Read(ref _claim);
            if ((claim & ~ClaimMask) != tag)
            {
                return ran;
            }
            // Read after the claim word: the round's own, unless the round ends before the claim below (which then fails).
            int count = _count, threads = _threads;
            long free = ~claim & ClaimMask & ((1L << count) - 1);
            if (free == 0)
            {
                return ran;
            }
            // Own run first (its lowest free part), then anyone's (the highest free part).
            int ownStart = thread * count / threads, ownEnd = (thread + 1) * count / threads;
            long own = free & (((1L << ownEnd) - 1) & ~((1L << ownStart) - 1));
            int part = own != 0 ? System.Numerics.BitOperations.TrailingZeroCount(own) : 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)free);
            if (Interlocked.CompareExchange(ref _claim, claim | (1L << part), claim) != claim)
            {
                continue;
            }
            // The part is ours and not done, so the dispatcher is still in this round: its work is current.
            try
            {
                _work!.RunPart(_workItem, _partOffset + part, _parts);
            }
            catch (Exception error)
            {
                Interlocked.CompareExchange(ref _error, error, null);
            }
            ran++;
            if (thread >= 1)
            {
                Volatile.Write(ref _allocated[thread - 1], GC.GetAllocatedBytesForCurrentThread());
            }
            if (Interlocked.Increment(ref _done) == count && Volatile.Read(ref _dispatcherWaiting) == 1)
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
            int helpers = (int)(seen & HelperMask);
            if (index < helpers)
            {
                _ = RunParts(seen >> HelperBits, index + 1);
            }
        }
    }

    /// <summary>Returns the next round (number and helper count): spinning first, then asleep on the event.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long WaitForWork(int index, long seen)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        int spins = 0;
        while (true)
        {
            long round = Volatile.Read(ref _round);
            if (round != seen)
            {
                return round;
            }
            if (System.Diagnostics.Stopwatch.GetTimestamp() - started < SpinTicks)
            {
                // Spin, and now and then give the core to a thread waiting for it: on a machine where another process
                // wants a core, a worker that only spun would take turns with the very thread that dispatches the rounds.
                if (++spins % 16 == 0)
                {
                    Thread.Yield();
                }
                else
                {
                    Thread.SpinWait(20);
                }
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
