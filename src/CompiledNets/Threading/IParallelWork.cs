namespace CompiledNets;

/// <summary>
/// Work that splits into parts which can run on different threads. Generated networks implement it
/// so that <see cref="Parallelism.Run(IParallelWork, int, int)"/> can call back into them without allocating a delegate.
/// </summary>
public interface IParallelWork
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> of the work item <paramref name="work"/>.</summary>
    void RunPart(int work, int part, int parts);
}
