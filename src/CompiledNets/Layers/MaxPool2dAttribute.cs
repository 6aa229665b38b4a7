using System;

namespace CompiledNets;

/// <summary>
/// 2-D max pooling, like PyTorch's <c>nn.MaxPool2d(kernel_size, stride)</c>: the largest value of each
/// <c>k × k</c> window (the first one when several are equal, as on PyTorch's CPU), floor mode, no padding.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2dAttribute : Attribute
{
    /// <summary>Declares max pooling; a stride of 0 means the kernel size (PyTorch's <c>None</c>).</summary>
    public MaxPool2dAttribute(int kernelSize, int stride = 0)
    {
        KernelSize = kernelSize;
        Stride = stride;
    }

    /// <summary>The window's side.</summary>
    public int KernelSize { get; }

    /// <summary>The step between windows (0: the kernel size).</summary>
    public int Stride { get; }
}
