namespace CompiledNets;

/// <summary>
/// An optimizer over a network's flat parameter buffer, like <c>torch.optim.Optimizer</c>: <see cref="ZeroGrad"/>,
/// then (after backward) <see cref="Step"/>. Its state (hyperparameters, momentum and other buffers, step counts)
/// is an <see cref="IStateful"/> state dict, so a <see cref="Checkpoint"/> saves and restores any optimizer.
/// </summary>
public interface IOptimizer : IStateful
{
    /// <summary>The network whose <see cref="INetwork.Parameters"/> this optimizer updates.</summary>
    INetwork Network { get; }

    /// <summary>The learning rate the next <see cref="Step"/> uses; learning-rate schedules set it (at least 0, finite).</summary>
    float Lr { get; set; }

    /// <summary>Sets every gradient to zero, like <c>optimizer.zero_grad(set_to_none=False)</c>.</summary>
    void ZeroGrad();

    /// <summary>Updates the parameters once from the current gradients.</summary>
    void Step();
}
