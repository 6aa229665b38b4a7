namespace CompiledNets;

/// <summary>An optimizer over a network's flat parameter buffer, like <c>torch.optim.Optimizer</c>.</summary>
public interface IOptimizer
{
    /// <summary>Sets every gradient to zero.</summary>
    void ZeroGrad();

    /// <summary>Updates the parameters once from the current gradients.</summary>
    void Step();
}
