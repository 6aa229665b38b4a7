using System;

namespace CompiledNets;

public sealed partial class ConfusionMatrix
{
    /// <summary>
    /// Runs <paramref name="network"/> over every batch of <paramref name="loader"/> without gradients (like a
    /// PyTorch evaluation loop under <c>torch.no_grad()</c>), takes each row's argmax as the prediction
    /// (first maximum on ties, as <c>torch.max(outputs, 1)</c>) and counts it against the label.
    /// </summary>
    /// <remarks>
    /// Allocates the matrix and one prediction buffer of <see cref="DataLoader.LargestBatch"/> ints, nothing per
    /// batch. Enumerating a shuffled loader starts a new epoch, so it advances the loader's shuffle order;
    /// the counts do not depend on the order. A label outside <c>[0, classCount)</c> throws and no matrix is
    /// returned.
    /// </remarks>
    public static ConfusionMatrix Evaluate(INetwork network, DataLoader loader, int classCount)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loader);
        if (classCount != network.OutputSize)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount,
                $"Expected one class per network output ({network.OutputSize}, the network's OutputSize) but got {classCount}.");
        }
        if (loader.Features != network.InputSize)
        {
            throw new ArgumentException(
                $"Expected samples of {network.InputSize} features (the network's InputSize) but the loader has {loader.Features}.", nameof(loader));
        }

        var matrix = new ConfusionMatrix(classCount);
        var predicted = new int[loader.LargestBatch];
        using (network.NoGrad())
        {
            foreach (var (inputs, labels) in loader)
            {
                matrix.Add(network.Forward(inputs).ArgMax(predicted), labels);
            }
        }
        return matrix;
    }
}
