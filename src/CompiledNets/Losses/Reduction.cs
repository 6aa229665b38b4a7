namespace CompiledNets;

/// <summary>How a loss combines the per-sample losses of a batch, as PyTorch's <c>reduction</c> argument.</summary>
public enum Reduction
{
    /// <summary>The mean over the batch (PyTorch's default).</summary>
    Mean,

    /// <summary>The sum over the batch.</summary>
    Sum,
}
