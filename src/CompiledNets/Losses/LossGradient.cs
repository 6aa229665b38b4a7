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
    private int _length;

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

    /// <summary>The latest gradient written.</summary>
    public ReadOnlySpan<float> Latest => _buffer.AsSpan(0, _length);

    /// <summary>Whether the calling thread owns this buffer.</summary>
    public bool OwnedByCurrentThread => Environment.CurrentManagedThreadId == Thread;
}
