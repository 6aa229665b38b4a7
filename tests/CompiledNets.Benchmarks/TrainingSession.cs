using System;
using CompiledNets;

namespace CompiledNets.Benchmarks;

/// <summary>
/// A network with its criterion and optimizer, running the PyTorch training loop exactly as a
/// user writes it (README, Quickstart): zero_grad, forward, loss, backward, step.
/// </summary>
public sealed class TrainingSession
{
    private readonly INetwork _network;
    private readonly CrossEntropyLoss _criterion = new();
    private readonly IOptimizer _optimizer;

    /// <param name="network">The network to train; its thread count should be set before.</param>
    /// <param name="lr">Learning rate (the samples' 0.01).</param>
    /// <param name="momentum">SGD momentum (the samples' 0.9).</param>
    public TrainingSession(INetwork network, float lr = 0.01f, float momentum = 0.9f)
    {
        _network = network;
        _optimizer = new Sgd(network, lr, momentum);
    }

    /// <param name="network">The network to train; its thread count should be set before.</param>
    /// <param name="optimizer">Its optimizer (the CNN sample's Adam).</param>
    public TrainingSession(INetwork network, IOptimizer optimizer)
    {
        _network = network;
        _optimizer = optimizer;
    }

    /// <summary>One training step on one batch; returns the loss (consumed, so nothing is optimized away).</summary>
    public float Step(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        _optimizer.ZeroGrad();
        var outputs = _network.Forward(inputs);
        var loss = _criterion.Forward(outputs, labels);
        loss.Backward();
        _optimizer.Step();
        return loss.Item();
    }

    /// <summary>One epoch over <paramref name="loader"/> (reshuffled by the loader); returns the summed loss.</summary>
    public float Epoch(DataLoader loader)
    {
        float total = 0f;
        foreach (var (inputs, labels) in loader)
        {
            total += Step(inputs, labels);
        }
        return total;
    }
}
