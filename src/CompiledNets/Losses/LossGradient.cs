using System;

namespace CompiledNets;

/// <summary>
/// dLoss/dOutputs of the latest loss one criterion computed on one thread: a buffer that only grows, and a stamp that
/// counts the losses written into it, so a <see cref="Loss"/> can tell whether its gradient is still there.
/// </summary>
internal sealed class LossGradient
{
    private float[] _buffer = [];
    private float[] _scratch = [];
    private float[] _values = [];
    private int _length;
    private int _valueCount;

    /// <summary>The thread that owns this buffer (each thread has its own).</summary>
    public int Thread { get; } = Environment.CurrentManagedThreadId;

    /// <summary>Counts the losses written; a loss remembers the stamp it was written under.</summary>
    public long Stamp { get; private set; }

    /// <summary>Room for a new gradient of <paramref name="length"/> floats; older losses of this buffer become stale.</summary>
    public Span<float> Take(int length)
    {
        if (_buffer.Length < length)
        {
            _buffer = new float[length];
        }
        _length = length;
        _valueCount = 0;
        Stamp++;
        return _buffer.AsSpan(0, length);
    }

    /// <summary>Working room for a criterion's computation, apart from the gradient; only grows.</summary>
    public Span<float> Scratch(int length)
    {
        if (_scratch.Length < length)
        {
            _scratch = new float[length];
        }
        return _scratch.AsSpan(0, length);
    }

    /// <summary>Room for the unreduced losses of the latest loss (<see cref="Reduction.None"/>); only grows.</summary>
    public Span<float> TakeValues(int length)
    {
        if (_values.Length < length)
        {
            _values = new float[length];
        }
        _valueCount = length;
        return _values.AsSpan(0, length);
    }

    /// <summary>The unreduced losses of the latest loss.</summary>
    public ReadOnlySpan<float> LatestValues => _values.AsSpan(0, _valueCount);

    /// <summary>The latest gradient, to be scaled by the caller's loss gradient before it goes back.</summary>
    public Span<float> LatestWritable => _buffer.AsSpan(0, _length);

    /// <summary>The latest gradient written.</summary>
    public ReadOnlySpan<float> Latest => _buffer.AsSpan(0, _length);

    /// <summary>Whether the calling thread owns this buffer.</summary>
    public bool OwnedByCurrentThread => Environment.CurrentManagedThreadId == Thread;
}
