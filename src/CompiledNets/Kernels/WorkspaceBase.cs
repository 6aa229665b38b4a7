using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CompiledNets.Kernels;

/// <summary>
/// The buffers one batched pass through a generated network works in (inputs, every layer's output, their gradients,
/// transposed weights), and the pass itself: a generated network's <c>Workspace</c> derives from this and holds the
/// buffers, its <c>Workspace&lt;V&gt;</c> the layers' code. A network trains in a workspace of its own and infers in
/// one workspace per thread, so passes on different threads never share a buffer.
/// </summary>
/// <remarks>
/// The buffers grow to the largest batch seen, in whole tiles of <see cref="RowTile"/> rows, each with
/// <see cref="Padding"/> spare floats, and are reused: once the largest batch has been seen, a pass allocates nothing.
/// Products split over threads run as this object's parallel parts.
/// </remarks>
public abstract class WorkspaceBase : IParallelWork
{
    /// <summary>Spare floats at the end of every buffer: kernels may read, and elementwise loops write, one vector past its end.</summary>
    public const int Padding = 16;

    /// <summary>Batch buffers hold whole tiles of this many rows; parallel parts split batches in multiples of it.</summary>
    public const int RowTile = 4;

    /// <summary>A product gets one more thread per this many multiply-adds: below it, waking a thread costs more than it saves.</summary>
    public const long MinimumWorkPerThread = 1L << 18;

    /// <summary>The network's parameters during a pass (the kernels read them through <see cref="Parameter"/>).</summary>
    protected float[] _parameters = [];

    /// <summary>The network's gradients during a backward pass (the kernels add into them through <see cref="Gradient"/>).</summary>
    protected float[] _gradients = [];

    /// <summary>Rows of the batch of the current pass, which parallel parts split.</summary>
    protected int _rows;

    private int _threadCount = 1;
    private int _capacity;

    /// <summary>Floats per row of the widest batch buffer: a batch of B rows needs B times this in one array.</summary>
    protected abstract int WidestRow { get; }

    /// <summary>Replaces every batch buffer with one for <paramref name="rows"/> rows (a multiple of <see cref="RowTile"/>).</summary>
    protected abstract void Allocate(int rows);

    /// <summary>Where the inputs of the pass are copied, <c>[batch, InputSize]</c>.</summary>
    protected abstract Span<float> Input(int batch);

    /// <summary>The last layer's output, <c>[batch, OutputSize]</c>, valid until the next pass in this workspace.</summary>
    public abstract ReadOnlySpan<float> Output(int batch);

    /// <summary>Where dLoss/dOutputs is copied for backward, <c>[batch, OutputSize]</c>.</summary>
    protected abstract Span<float> OutputGradient(int batch);

    /// <summary>Every layer's forward, in order, on the <paramref name="batch"/> rows of <see cref="Input"/>.</summary>
    protected abstract void ForwardLayers(int batch);

    /// <summary>dLoss/dinputs of the last backward that was asked for it, <c>[batch, InputSize]</c>.</summary>
    public abstract ReadOnlySpan<float> InputGradient(int batch);

    /// <summary>Every layer's backward, last first, from <see cref="OutputGradient"/>.</summary>
    protected abstract void BackwardLayers(int batch);

    /// <inheritdoc/>
    public abstract void RunPart(int work, int part, int parts);

    /// <summary>
    /// One sample through the network without touching the batch buffers' rows beyond the first: generated workspaces of
    /// networks too large for registers override it with one-sample kernels; this fallback runs a batch of one. It leaves the
    /// workspace holding none of the network's arrays (<see cref="Release"/>).
    /// </summary>
    public virtual void ForwardSample(float[] parameters, float[] buffers, ReadOnlySpan<float> input, Span<float> output)
    {
        Forward(parameters, buffers, [], input, 1, 1, training: false, null);
        Output(1).CopyTo(output);
        Release();
    }

    /// <summary>
    /// The dropout generator of this pass: the network's while it is training, null in evaluation (dropout layers then
    /// copy). Backward reads <see cref="Dropped"/>, which the forward of its pass set.
    /// </summary>
    protected DropoutMasks? Dropout { get; private set; }

    /// <summary>Whether the last forward pass dropped units (it ran in training mode): its backward goes through the masks.</summary>
    protected bool Dropped { get; private set; }

    /// <summary>
    /// Whether the last forward pass ran in training mode: batch normalization then used (and backward goes through) the
    /// batch's statistics and updated the running ones; otherwise it used the running statistics.
    /// </summary>
    protected bool Training { get; private set; }

    /// <summary>
    /// Whether the backward pass running writes dLoss/dinputs too (the first layer's dLoss/dx, which nothing in the
    /// network needs: only a caller that asked for it, like PyTorch's <c>inputs.requires_grad_()</c>).
    /// </summary>
    protected bool InputGradientRequested { get; private set; }

    /// <summary>The network's float buffers (running statistics) during a pass.</summary>
    protected float[] _buffers = [];

    /// <summary>The network's int64 buffers (num_batches_tracked) during a pass.</summary>
    protected long[] _integerBuffers = [];

    /// <summary>
    /// The forward pass of <paramref name="batch"/> checked rows with the network's <paramref name="parameters"/> and
    /// <paramref name="buffers"/>, in training mode (batch statistics, updating the buffers) or not, dropping units when
    /// <paramref name="dropout"/> is given.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(float[] parameters, float[] buffers, long[] integerBuffers, ReadOnlySpan<float> inputs, int batch, int threads, bool training, DropoutMasks? dropout)
    {
        Dropout = dropout;
        Dropped = dropout is not null;
        Training = training;
        _buffers = buffers;
        _integerBuffers = integerBuffers;
        EnsureCapacity(batch);
        _parameters = parameters;
        _threadCount = Parallelism.ThreadsNow(threads);
        _rows = batch;
        // The layers read the inputs from this workspace: backward needs them after the caller's buffer has moved on,
        // and parallel parts read them from any thread.
        inputs.CopyTo(Input(batch));
        ForwardLayers(batch);
        Dropout = null;
    }

    /// <summary>
    /// The backward pass of the last forward's <paramref name="batch"/> rows, adding into <paramref name="gradients"/>, and
    /// writing dLoss/dinputs (<see cref="InputGradient"/>) when <paramref name="inputGradient"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(float[] parameters, float[] gradients, ReadOnlySpan<float> outputGradient, int batch, int threads, bool inputGradient)
    {
        InputGradientRequested = inputGradient;
        _parameters = parameters;
        _gradients = gradients;
        _threadCount = Parallelism.ThreadsNow(threads);
        _rows = batch;
        outputGradient.CopyTo(OutputGradient(batch));
        BackwardLayers(batch);
        _gradients = [];
    }

    /// <summary>Lets go of the network's buffers after a pass, so an idle thread's workspace keeps no network alive.</summary>
    public void Release()
    {
        _parameters = [];
        _gradients = [];
        _buffers = [];
        _integerBuffers = [];
    }

    /// <summary>
    /// Grows the buffers to hold <paramref name="batch"/> rows in whole tiles, or throws (before anything is allocated)
    /// when one buffer of that many rows would not fit an array.
    /// </summary>
    public void EnsureCapacity(int batch)
    {
        if (batch <= _capacity)
        {
            return;
        }
        long rows = ((long)batch + RowTile - 1) / RowTile * RowTile;
        if (rows * WidestRow + Padding > Array.MaxLength)
        {
            long largest = (Array.MaxLength - Padding) / WidestRow / RowTile * RowTile;
            throw new ArgumentException(
                $"A batch of {batch} rows needs {rows * WidestRow + Padding} floats in one buffer ([B, {WidestRow}]), more than an array holds; " +
                $"pass at most {largest} rows at a time (Predict splits a large batch itself).", "inputs");
        }
        Allocate((int)rows);
        _capacity = (int)rows;
    }

    /// <summary>
    /// Parts per thread of a product split over threads: threads take parts as they come free, so a thread that
    /// another process slows down takes fewer, and the others are not left waiting for its share.
    /// </summary>
    public const int PartsPerThread = 4;

    /// <summary>
    /// Runs a product on as many threads as its size pays for (at most the network's ThreadCount), in up to
    /// <see cref="PartsPerThread"/> parts per thread of at least <see cref="MinimumWorkPerThread"/> multiply-adds each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected void Run(int work, long multiplyAdds) => Run(work, multiplyAdds, int.MaxValue);

    /// <summary>Threads the pass may use: the network's ThreadCount, or 1 while the pool's workers are held up (<see cref="Parallelism.ThreadsNow"/>).</summary>
    protected int Threads => _threadCount;

    /// <summary>As <see cref="Run(int, long)"/>, in at most <paramref name="maximumParts"/> parts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected void Run(int work, long multiplyAdds, int maximumParts)
    {
        int parts = _threadCount == 1 ? 1 : (int)Math.Clamp(multiplyAdds / MinimumWorkPerThread, 1, Math.Min(_threadCount * PartsPerThread, maximumParts));
        if (parts == 1)
        {
            RunPart(work, 0, 1);
        }
        else
        {
            Parallelism.Run(this, work, parts, _threadCount);
        }
    }

    /// <summary>Where part <paramref name="part"/> of <paramref name="parts"/> starts in <paramref name="count"/> rows, in multiples of <see cref="RowTile"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static int Part(int count, int part, int parts) =>
        parts == 1 ? (part == 0 ? 0 : count) : Parallelism.PartStart(count, part, parts, RowTile);

    /// <summary>The first float of a buffer, for the kernels' <c>ref</c> parameters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static ref float First(float[] buffer) => ref MemoryMarshal.GetArrayDataReference(buffer);

    /// <summary>The parameter at <paramref name="offset"/> of the flat buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected ref float Parameter(int offset) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_parameters), offset);

    /// <summary>The gradient at <paramref name="offset"/> of the flat buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected ref float Gradient(int offset) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_gradients), offset);
}
