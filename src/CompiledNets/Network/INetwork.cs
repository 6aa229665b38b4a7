using System;
using System.Collections.Generic;

namespace CompiledNets;

/// <summary>
/// A network whose forward and backward code CompiledNets generated from layer attributes.
/// The generated partial class implements this interface; the runtime (loss, optimizers, loops)
/// works against it.
/// </summary>
/// <remarks>
/// <para>All parameters live in one flat buffer, <see cref="Parameters"/>, in PyTorch <c>nn.Sequential</c>
/// state_dict order; <see cref="Gradients"/> has the same layout, so an optimizer is one loop over
/// two spans. Backward accumulates into <see cref="Gradients"/> (<c>+=</c>) until they are zeroed,
/// as PyTorch does.</para>
/// <para>Threads, as in PyTorch: inference is safe from any number of threads on one instance (the one-sample
/// <see cref="Forward(ReadOnlySpan{float}, Span{float})"/>, <see cref="Predict"/>, and a batched
/// <see cref="Forward(ReadOnlySpan{float})"/> inside <see cref="NoGrad"/>); gradient mode belongs to the thread
/// (<see cref="GradMode"/>); training (a batched forward with gradients, then backward, then an optimizer step) is one
/// thread at a time, and a generated network refuses a training pass started while another thread's runs.</para>
/// </remarks>
public interface INetwork
{
    /// <summary>Floats per input sample.</summary>
    int InputSize { get; }

    /// <summary>Floats per output sample (logits).</summary>
    int OutputSize { get; }

    /// <summary>Number of trainable floats.</summary>
    int ParameterCount { get; }

    /// <summary>All parameters, one flat buffer in state_dict order.</summary>
    Span<float> Parameters { get; }

    /// <summary>Gradients of the loss with respect to <see cref="Parameters"/>, same layout.</summary>
    Span<float> Gradients { get; }

    /// <summary>The parameter tensors (<c>"0.weight"</c>, <c>"0.bias"</c>, ...) with offsets and shapes.</summary>
    IReadOnlyList<ParameterTensor> NamedParameters { get; }

    /// <summary>
    /// The buffers (<c>"1.running_mean"</c>, <c>"1.running_var"</c>, <c>"1.num_batches_tracked"</c>, ...): state saved with the
    /// parameters but not trained, like PyTorch's <c>named_buffers()</c>. Empty for a network without batch normalization.
    /// </summary>
    IReadOnlyList<BufferTensor> NamedBuffers => Array.Empty<BufferTensor>();

    /// <summary>The float buffers (running statistics), one flat buffer in state_dict order; not in <see cref="Parameters"/>.</summary>
    Span<float> Buffers => Span<float>.Empty;

    /// <summary>The int64 buffers (each batch normalization's <c>num_batches_tracked</c>), in state_dict order.</summary>
    Span<long> IntegerBuffers => Span<long>.Empty;

    /// <summary>The layers in declaration order, numbered as <c>nn.Sequential</c> numbers its modules.</summary>
    IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>
    /// Whether a batched <see cref="Forward(ReadOnlySpan{float})"/> on the calling thread keeps what
    /// <see cref="Backward"/> needs: the thread's <see cref="GradMode"/>, which <see cref="NoGrad"/> turns off for a scope.
    /// </summary>
    bool GradEnabled { get; set; }

    /// <summary>
    /// Threads that large products may use; results are bitwise identical for every thread count.
    /// Defaults to <see cref="Parallelism.DefaultThreadCount"/>.
    /// </summary>
    int ThreadCount { get; set; }

    /// <summary>
    /// Whether the network is in training mode (the default), like <c>nn.Module.training</c>: batched forward passes
    /// then drop units in <see cref="DropoutAttribute"/> layers and normalize with batch statistics (updating the running
    /// ones) in <see cref="BatchNorm1dAttribute"/> and <see cref="BatchNorm2dAttribute"/> layers. <see cref="Eval"/> turns it off, <see cref="Train"/> on;
    /// it is the network's, not the thread's, and independent of <see cref="GradEnabled"/> (as in PyTorch).
    /// </summary>
    bool Training => true;

    /// <summary>Sets training mode, like <c>module.train()</c>.</summary>
    void Train()
    {
    }

    /// <summary>Sets evaluation mode, like <c>module.eval()</c>: dropout becomes the identity, batch normalization uses the running statistics.</summary>
    void Eval()
    {
    }

    /// <summary>The state of the dropout masks' generator (0 without dropout layers), which checkpoints save and restore.</summary>
    ulong DropoutState
    {
        get => 0;
        set
        {
        }
    }

    /// <summary>Counts batched forward passes (each overwrites the kept activations); outputs and losses remember it.</summary>
    long ForwardVersion { get; }

    /// <summary>Runs one sample through the network (inference, no allocation).</summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>
    /// Runs a batch (rows of <see cref="InputSize"/> floats) through the network and, when
    /// <see cref="GradEnabled"/>, keeps the activations that <see cref="Backward"/> needs.
    /// </summary>
    Outputs Forward(ReadOnlySpan<float> inputs);

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (dLoss/dOutputs of the last batched
    /// forward) and adds the parameter gradients into <see cref="Gradients"/>.
    /// </summary>
    void Backward(ReadOnlySpan<float> outputGradient);

    /// <summary>
    /// Whether <see cref="Backward"/> also computes dLoss/dinputs (<see cref="InputGradient"/>), like
    /// <c>inputs.requires_grad_()</c> in PyTorch; off by default. Networks that cannot compute it refuse to turn it on.
    /// </summary>
    bool InputRequiresGrad
    {
        get => false;
        set
        {
            if (value) throw new NotSupportedException($"{GetType().Name} does not compute dLoss/dinputs.");
        }
    }

    /// <summary>
    /// dLoss/dinputs of the last backward pass (<c>[batch, InputSize]</c>, PyTorch's <c>inputs.grad</c>), computed when
    /// <see cref="InputRequiresGrad"/> was set; a view of the network's buffer until the next training forward.
    /// </summary>
    ReadOnlySpan<float> InputGradient => throw new InvalidOperationException($"{GetType().Name} does not compute dLoss/dinputs.");

    /// <summary>Disables gradient tracking on the calling thread until the returned scope is disposed, like <c>torch.no_grad()</c>.</summary>
    NoGradScope NoGrad() => new(this);

    /// <summary>
    /// Inference on a batch (rows of <see cref="InputSize"/> floats) into <paramref name="outputs"/> (rows of
    /// <see cref="OutputSize"/>): safe from any number of threads, never recording gradients. Generated networks run it
    /// in batches in a workspace of the calling thread; this default runs the rows one sample at a time.
    /// </summary>
    void Predict(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        int batch = Kernels.NetworkChecks.Predict(inputs, InputSize, outputs.Length, OutputSize);
        for (int row = 0; row < batch; row++)
        {
            Forward(inputs.Slice(row * InputSize, InputSize), outputs.Slice(row * OutputSize, OutputSize));
        }
    }
}
