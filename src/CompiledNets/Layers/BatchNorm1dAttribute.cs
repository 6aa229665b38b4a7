using System;

namespace CompiledNets;

/// <summary>
/// Batch normalization over features <c>[C]</c> (after a <c>Linear</c>) or sequences <c>[C, L]</c>: statistics over the batch (and the length) of each channel, like PyTorch's <c>nn.BatchNorm1d(num_features, eps, momentum)</c>:
/// <c>y = (x − mean) / √(var + eps) · weight + bias</c>.
/// </summary>
/// <remarks>
/// <para>While the network is training (<see cref="INetwork.Train"/>, the default), a batched forward pass normalizes with
/// the batch's mean and biased variance and updates the running statistics:
/// <c>running_mean = (1 − momentum) · running_mean + momentum · mean</c>, the same for <c>running_var</c> with the unbiased
/// variance, and <c>num_batches_tracked += 1</c> (also inside <c>NoGrad</c>, as in PyTorch). In evaluation
/// (<see cref="INetwork.Eval"/>), and for one-sample <c>Forward(input, output)</c> and <c>Predict</c>, it normalizes with the
/// running statistics.</para>
/// <para><c>weight</c> (ones) and <c>bias</c> (zeros) are trainable parameters; <c>running_mean</c> (zeros),
/// <c>running_var</c> (ones) and <c>num_batches_tracked</c> are buffers (<see cref="INetwork.NamedBuffers"/>), saved in
/// safetensors and checkpoints under PyTorch's names and dtypes.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNorm1dAttribute : Attribute
{
    /// <summary>Declares batch normalization.</summary>
    /// <param name="numFeatures">Channels (or features); must equal what arrives.</param>
    /// <param name="eps">Added to the variance; PyTorch's default is 1e-5.</param>
    /// <param name="momentum">The weight of each batch in the running statistics, in [0, 1]; PyTorch's default is 0.1.</param>
    public BatchNorm1dAttribute(int numFeatures, float eps = 1e-5f, float momentum = 0.1f)
    {
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
    }

    /// <summary>Channels (or features) normalized.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance before its square root.</summary>
    public float Eps { get; }

    /// <summary>The weight of each batch in the running statistics.</summary>
    public float Momentum { get; }
}
