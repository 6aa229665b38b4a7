using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace CompiledNets.Kernels;

/// <summary>
/// What every generated network does the same way, whatever its layers: the flat parameter and gradient buffers,
/// the entry points with their checks, and the threading contract. A generated network's implementation derives from
/// this with its own workspace type; the layers' code is in that workspace.
/// </summary>
/// <remarks>
/// <para>Threading, as PyTorch's: inference is safe from any number of threads on one instance (one-sample
/// <c>Forward</c>, <see cref="Predict"/>, and batched <c>Forward</c> with gradients off run in a workspace of the calling
/// thread); gradient mode is per thread (<see cref="GradMode"/>); training (batched <c>Forward</c> with gradients on,
/// then <c>Backward</c>) runs in the network's own workspace, one thread at a time: a second thread that starts a
/// training pass while one runs gets an <see cref="InvalidOperationException"/>.</para>
/// <para>Like PyTorch's version counters, changing the parameters between a forward pass and its backward is refused:
/// taking <see cref="Parameters"/> (the writable view an optimizer steps through) counts as a change.</para>
/// </remarks>
/// <typeparam name="TWorkspace">The network's generated workspace type.</typeparam>
public abstract class NetworkBase<TWorkspace>
    where TWorkspace : WorkspaceBase
{
    /// <summary>Rows <see cref="Predict"/> runs at a time, so its workspace stays small whatever the batch.</summary>
    public const int PredictRows = 256;

    // One workspace per thread and network type for inference; static fields of a generic type are per type.
    [ThreadStatic] private static TWorkspace? t_inference;

    private readonly float[] _parameters;
    private readonly float[] _gradients;
    private readonly TWorkspace _trainingWorkspace;
    private readonly int _inputSize, _outputSize, _parameterCount;
    private int _threadCount = Parallelism.DefaultThreadCount;
    private int _trainingThread;
    private int _pendingBatch;
    private int _inputGradientBatch;
    private int _pendingThread;
    private long _forwardVersion;
    private long _parameterVersion;
    private long _pendingParameterVersion;
    private DropoutMasks? _dropout;
    private volatile bool _training = true;
    private float[] _buffers = [];
    private long[] _integerBuffers = [];
    private int _valuesPerChannel;
    private readonly object _trainingState = new();

    /// <summary>Creates the buffers of a network of these sizes (parameters zero until the generated constructor fills them).</summary>
    protected NetworkBase(int inputSize, int outputSize, int parameterCount)
    {
        _inputSize = inputSize;
        _outputSize = outputSize;
        _parameterCount = parameterCount;
        _parameters = new float[parameterCount + WorkspaceBase.Padding];
        _gradients = new float[parameterCount + WorkspaceBase.Padding];
        _trainingWorkspace = CreateWorkspace();
    }

    /// <summary>
    /// Gives a network with dropout layers its mask generator, seeded by the network's seed; the generated constructor
    /// calls it. A network without dropout never draws.
    /// </summary>
    protected void UseDropout(int seed) => _dropout = new DropoutMasks(seed);

    /// <summary>
    /// Gives a network with batch normalization its buffers (zeros; the generated constructor then sets each running_var
    /// to 1). <paramref name="valuesPerChannel"/> is the fewest values of one channel a sample brings to any of its
    /// batch normalizations (1 after a Linear, H·W in an image), so a training batch can be checked to have more than one.
    /// </summary>
    protected void UseBatchNorm(int floatBuffers, int integerBuffers, int valuesPerChannel)
    {
        _buffers = new float[floatBuffers];
        _integerBuffers = new long[integerBuffers];
        _valuesPerChannel = valuesPerChannel;
    }

    /// <summary>The float buffers (running statistics) in state_dict order; empty without batch normalization.</summary>
    public Span<float> Buffers => _buffers;

    /// <summary>The int64 buffers (num_batches_tracked) in state_dict order; empty without batch normalization.</summary>
    public Span<long> IntegerBuffers => _integerBuffers;

    /// <summary>Whether the network is in training mode (batched passes drop units), like <c>nn.Module.training</c>.</summary>
    public bool Training => _training;

    /// <summary>Sets training mode, like <c>module.train()</c>.</summary>
    public void Train() => _training = true;

    /// <summary>Sets evaluation mode, like <c>module.eval()</c>.</summary>
    public void Eval() => _training = false;

    /// <summary>
    /// Whether backward also computes dLoss/dinputs (<see cref="InputGradient"/>), like <c>inputs.requires_grad_()</c> in
    /// PyTorch; off by default, since nothing in the network needs it.
    /// </summary>
    public bool InputRequiresGrad { get; set; }

    /// <summary>
    /// dLoss/dinputs of the last backward pass, <c>[batch, InputSize]</c> like the inputs (PyTorch's <c>inputs.grad</c>):
    /// a view of the network's buffer until the next training forward. Throws when the last backward did not compute it.
    /// </summary>
    public ReadOnlySpan<float> InputGradient
    {
        get
        {
            if (_inputGradientBatch == 0)
            {
                throw new InvalidOperationException(
                    "No dLoss/dinputs: set InputRequiresGrad = true before Forward and Backward (PyTorch: inputs.requires_grad_()); " +
                    "it belongs to the last backward pass, until the next training forward.");
            }
            return _trainingWorkspace.InputGradient(_inputGradientBatch);
        }
    }

    /// <summary>The dropout generator's state (0 for a network without dropout), for checkpoints.</summary>
    public ulong DropoutState
    {
        get => _dropout?.State ?? 0;
        set
        {
            if (_dropout is not null) _dropout.State = value;
        }
    }

    /// <summary>A new workspace of the vector width the machine runs fastest.</summary>
    protected abstract TWorkspace CreateWorkspace();

    /// <summary>The flat parameter buffer itself (with its padding), for the generated initialization and one-sample code.</summary>
    protected float[] ParameterBuffer => _parameters;

    /// <summary>All parameters, one flat buffer in state_dict order; taking it counts as changing them (see the remarks).</summary>
    public Span<float> Parameters
    {
        get
        {
            _parameterVersion++;
            return new Span<float>(_parameters, 0, _parameterCount);
        }
    }

    /// <summary>dLoss/dParameters, accumulated by backward, same layout as <see cref="Parameters"/>.</summary>
    public Span<float> Gradients => new(_gradients, 0, _parameterCount);

    /// <summary>The calling thread's gradient mode (<see cref="GradMode.IsEnabled"/>); setting it sets the thread's.</summary>
    public bool GradEnabled
    {
        get => GradMode.IsEnabled;
        set => GradMode.IsEnabled = value;
    }

    /// <summary>Counts batched forward passes with gradients: each overwrites the training activations.</summary>
    public long ForwardVersion => Volatile.Read(ref _forwardVersion);

    /// <summary>Threads large products may use; results are bitwise identical for every count.</summary>
    public int ThreadCount
    {
        get => _threadCount;
        set => _threadCount = Parallelism.CheckThreadCount(value);
    }

    /// <summary>The calling thread's inference workspace for this network type.</summary>
    protected TWorkspace Inference => t_inference ??= CreateWorkspace();

    /// <summary>One sample through the network, thread-safe, allocating nothing once the thread has run one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public virtual void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        NetworkChecks.OneSample(input, _inputSize, output.Length, _outputSize);
        TWorkspace workspace = Inference;
        workspace.ForwardSample(_parameters, _buffers, input, output);
    }

    /// <summary>
    /// A batch through the network. With gradients on (this thread), a training pass: it keeps what
    /// <see cref="Backward"/> needs and its outputs go back to <paramref name="owner"/>. With gradients off, an
    /// inference pass in this thread's workspace: safe beside other threads, outputs valid until this thread's next
    /// batched forward of a network of this type.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Outputs Forward(ReadOnlySpan<float> inputs, INetwork owner)
    {
        int batch = NetworkChecks.Rows(inputs, _inputSize);
        bool training = _training;
        if (training && _valuesPerChannel > 0 && (long)batch * _valuesPerChannel < 2)
        {
            throw new ArgumentException(
                $"Batch normalization in training mode needs more than 1 value per channel, but a batch of {batch} sample(s) brings " +
                $"{(long)batch * _valuesPerChannel} (PyTorch: \"Expected more than 1 value per channel when training\"); pass at least 2 samples, " +
                "or call Eval() first to use the running statistics.", nameof(inputs));
        }
        DropoutMasks? dropout = training ? _dropout : null;
        // Training mode changes the network's state (masks drawn, running statistics updated): one pass at a time, in turn.
        object? state = training && (dropout is not null || _valuesPerChannel > 0) ? _trainingState : null;
        if (!GradMode.IsEnabled)
        {
            // Training mode without gradients drops units and updates running statistics too, as PyTorch's does.
            TWorkspace workspace = Inference;
            RunForward(workspace, inputs, batch, training, dropout, state);
            workspace.Release();
            return new Outputs(workspace.Output(batch), batch, _outputSize, null, ForwardVersion);
        }
        EnterTraining();
        try
        {
            RunForward(_trainingWorkspace, inputs, batch, training, dropout, state);
            _pendingBatch = batch;
            _inputGradientBatch = 0;
            _pendingThread = Environment.CurrentManagedThreadId;
            _pendingParameterVersion = _parameterVersion;
            long version = Interlocked.Increment(ref _forwardVersion);
            return new Outputs(_trainingWorkspace.Output(batch), batch, _outputSize, owner, version);
        }
        finally
        {
            ExitTraining();
        }
    }

    /// <summary>A batched forward in <paramref name="workspace"/>, holding <paramref name="state"/> (when given) while it changes the network's state.</summary>
    private void RunForward(TWorkspace workspace, ReadOnlySpan<float> inputs, int batch, bool training, DropoutMasks? dropout, object? state)
    {
        if (state is null)
        {
            workspace.Forward(_parameters, _buffers, _integerBuffers, inputs, batch, _threadCount, training, dropout);
            return;
        }
        lock (state)
        {
            workspace.Forward(_parameters, _buffers, _integerBuffers, inputs, batch, _threadCount, training, dropout);
        }
    }

    /// <summary>Back-propagates dLoss/dOutputs of the last training forward into <see cref="Gradients"/> (<c>+=</c>), once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(ReadOnlySpan<float> outputGradient)
    {
        EnterTraining();
        try
        {
            int batch = _pendingBatch;
            // The activations back-propagated are those of the last training forward: it must be this thread's.
            if (batch > 0 && _pendingThread != Environment.CurrentManagedThreadId)
            {
                throw new InvalidOperationException(
                    $"The last training forward pass of this network ran on thread {_pendingThread}, not on this thread " +
                    $"({Environment.CurrentManagedThreadId}): a backward pass belongs to the forward of its own thread, and a network trains " +
                    "on one thread at a time.");
            }
            NetworkChecks.OutputGradient(outputGradient, batch, _outputSize);
            if (_parameterVersion != _pendingParameterVersion)
            {
                throw new InvalidOperationException(
                    "The parameters may have changed since the forward pass this backward belongs to (an optimizer stepped, or Parameters was taken " +
                    "and perhaps written): its gradients would not fit them. PyTorch refuses this too (\"one of the variables needed for gradient " +
                    "computation has been modified by an inplace operation\"); call optimizer.Step() after loss.Backward(), and run Forward again.");
            }
            _pendingBatch = 0;
            bool inputGradient = InputRequiresGrad;
            _trainingWorkspace.Backward(_parameters, _gradients, outputGradient, batch, _threadCount, inputGradient);
            _inputGradientBatch = inputGradient ? batch : 0;
        }
        finally
        {
            ExitTraining();
        }
    }

    /// <summary>
    /// Inference on a batch into <paramref name="outputs"/> (<c>[batch, OutputSize]</c>), without gradients and in evaluation
    /// (no dropout, running statistics) whatever the mode: thread-safe, a few hundred rows at a time in this thread's workspace, allocating nothing in steady state.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Predict(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        int batch = NetworkChecks.Predict(inputs, _inputSize, outputs.Length, _outputSize);
        TWorkspace workspace = Inference;
        for (int start = 0; start < batch; start += PredictRows)
        {
            int rows = Math.Min(PredictRows, batch - start);
            workspace.Forward(_parameters, _buffers, _integerBuffers, inputs.Slice(start * _inputSize, rows * _inputSize), rows, _threadCount, training: false, null);
            workspace.Output(rows).CopyTo(outputs.Slice(start * _outputSize, rows * _outputSize));
        }
        workspace.Release();
    }

    /// <summary>Claims the training workspace for the calling thread, or refuses when another thread holds it.</summary>
    private void EnterTraining()
    {
        int thread = Environment.CurrentManagedThreadId;
        int holder = Interlocked.CompareExchange(ref _trainingThread, thread, 0);
        if (holder != 0)
        {
            throw new InvalidOperationException(
                $"This network is running a training pass (a Forward with gradients enabled, or a Backward) on thread {holder}, and thread {thread} " +
                "started another: a network trains on one thread at a time. For inference from many threads use Forward(input, output), " +
                "Predict, or a batched Forward inside NoGrad().");
        }
    }

    private void ExitTraining() => Volatile.Write(ref _trainingThread, 0);

    /// <summary>Whether some thread is inside a training pass right now (for tests of the refusal).</summary>
    internal bool IsTrainingPassRunning => Volatile.Read(ref _trainingThread) != 0;
}
