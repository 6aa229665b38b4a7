namespace CompiledNets;

/// <summary>How a loss combines the per-sample losses of a batch, as PyTorch's <c>reduction</c> argument.</summary>
public enum Reduction
{
    /// <summary>The mean over the batch (PyTorch's default).</summary>
    Mean,

    /// <summary>The sum over the batch.</summary>
    Sum,

    /// <summary>
    /// No reduction: one loss per element (per row for <see cref="CrossEntropyLoss"/>), read from <see cref="Loss.Values"/>;
    /// <see cref="Loss.Backward(System.ReadOnlySpan{float})"/> takes the gradient of each, as <c>loss.backward(gradient)</c>.
    /// </summary>
    None,
}
