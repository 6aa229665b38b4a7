using System;

namespace CompiledNets;

/// <summary>
/// 1-D average pooling over sequences, like PyTorch's <c>nn.AvgPool1d(kernel_size, stride)</c>: the mean of each window of <c>k</c> steps, floor mode, no padding.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool1dAttribute : Attribute
{
    /// <summary>Declares average pooling; a stride of 0 means the kernel size (PyTorch's <c>None</c>).</summary>
    public AvgPool1dAttribute(int kernelSize, int stride = 0)
    {
        KernelSize = kernelSize;
        Stride = stride;
    }

    /// <summary>The window's length.</summary>
    public int KernelSize { get; }

    /// <summary>The step between windows (0: the kernel size).</summary>
    public int Stride { get; }
}
