using System;

namespace CompiledNets;

/// <summary>
/// 1-D max pooling over sequences, like PyTorch's <c>nn.MaxPool1d(kernel_size, stride)</c>: the largest value of each window of <c>k</c> steps (the first one when several are equal, as on PyTorch's CPU), floor mode, no padding.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool1dAttribute : Attribute
{
    /// <summary>Declares max pooling; a stride of 0 means the kernel size (PyTorch's <c>None</c>).</summary>
    public MaxPool1dAttribute(int kernelSize, int stride = 0)
    {
        KernelSize = kernelSize;
        Stride = stride;
    }

    /// <summary>The window's length.</summary>
    public int KernelSize { get; }

    /// <summary>The step between windows (0: the kernel size).</summary>
    public int Stride { get; }
}
