using System;
using System.Runtime.CompilerServices;
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
    public static int DefaultThreadCount
    {
        get => _defaultThreadCount;
        set => _defaultThreadCount = CheckThreadCount(value, nameof(value));
    }

    /// <summary>Returns <paramref name="threads"/> when it is at least 1, and throws otherwise: every thread count's check.</summary>
    public static int CheckThreadCount(int threads, string parameterName = "ThreadCount") =>
        threads >= 1 ? threads : throw new ArgumentOutOfRangeException(parameterName, threads, $"Expected at least 1 thread but got {threads}.");

    private static int _defaultThreadCount = Environment.ProcessorCount;

    /// <summary>
    /// Runs parts 0 … <paramref name="parts"/> − 1 of <paramref name="work"/> and returns when all are done.
    /// Part 0 runs on the calling thread. When the pool is busy (another network is running parts),
    /// the parts run one after another on the calling thread, with the same results.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(IParallelWork work, int workItem, int parts) => Run(work, workItem, parts, parts);

    /// <summary>
    /// As <see cref="Run(IParallelWork, int, int)"/>, on at most <paramref name="threads"/> threads (the calling one
    /// included): a network's <c>ThreadCount</c>, however many parts its products are cut into.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(IParallelWork work, int workItem, int parts, int threads)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (parts < 1) throw new ArgumentOutOfRangeException(nameof(parts), parts, $"Expected at least 1 part but got {parts}.");
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, $"Expected at least 1 thread but got {threads}.");
        if (parts == 1 || threads == 1 || Environment.ProcessorCount == 1)
        {
            for (int part = 0; part < parts; part++)
            {
                work.RunPart(workItem, part, parts);
            }
            return;
        }
        Pool.Value.Run(work, workItem, parts, threads);
    }

    /// <summary>
    /// The threads a pass that may use <paramref name="threads"/> should cut its work for now: 1 while the pool runs every
    /// round on the calling thread (its workers were lately held up, or hardly ran, their cores busy elsewhere), else
    /// <paramref name="threads"/>. Work cut for one thread then runs as on one thread, where parts cut for two would run one
    /// after another, each reading its inputs again; parts never change results, so neither does this.
    /// </summary>
    internal static int ThreadsNow(int threads) => threads > 1 && Pool.IsValueCreated && Pool.Value.RunsAlone ? 1 : threads;

    /// <summary>Solo stretches the pool has started (see <see cref="ThreadsNow"/>).</summary>
    internal static long SoloStretches => Pool.IsValueCreated ? Pool.Value.SoloStretches : 0;

    /// <summary>
    /// Runs <paramref name="run"/> (passes that compare thread counts, in tests) until no solo stretch of the pool
    /// (<see cref="ThreadsNow"/>) overlapped it, waiting for each stretch to end: a pass cut for one thread would compare one
    /// thread with itself. Throws after 10 runs that each overlapped one.
    /// </summary>
    internal static T RunCutForEveryThread<T>(Func<T> run)
    {
        for (int attempt = 0; attempt < 10; attempt++)
        {
            // Wait (up to 3 s) for a stretch in progress to end; the count is read before the check, so one that begins
            // after it shows as a new count.
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            long stretches = SoloStretches;
            while (ThreadsNow(2) == 1 && System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds < 3)
            {
                Thread.Sleep(10);
                stretches = SoloStretches;
            }
            T result = run();
            if (ThreadsNow(2) == 2 && SoloStretches == stretches)
            {
                return result;
            }
        }
        throw new InvalidOperationException("The worker pool ran every pass alone in 10 attempts (its workers' cores busy elsewhere).");
    }

    /// <summary>Bytes allocated so far by the worker threads (tests check that parallel parts allocate nothing).</summary>
    internal static long WorkerAllocatedBytes => Pool.IsValueCreated ? Pool.Value.AllocatedBytes : 0;

    /// <summary>The start of part <paramref name="part"/> when <paramref name="count"/> rows are split into <paramref name="parts"/> runs aligned to <paramref name="align"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int PartStart(int count, int part, int parts, int align)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, $"Expected a count >= 0 but got {count}.");
        if (parts < 1) throw new ArgumentOutOfRangeException(nameof(parts), parts, $"Expected at least 1 part but got {parts}.");
        if ((uint)part > (uint)parts) throw new ArgumentOutOfRangeException(nameof(part), part, $"Expected 0 <= part <= {parts} but got {part}.");
        if (align < 1) throw new ArgumentOutOfRangeException(nameof(align), align, $"Expected an alignment >= 1 but got {align}.");
        long chunk = ((long)count + parts - 1) / parts;
        chunk = (chunk + align - 1) / align * align;
        return (int)Math.Min(count, part * chunk);
    }
}
