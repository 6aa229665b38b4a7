using System;

namespace CompiledNets;

/// <summary>
/// 2-D average pooling, like PyTorch's <c>nn.AvgPool2d(kernel_size, stride)</c>: the mean of each
/// <c>k × k</c> window, floor mode, no padding.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool2dAttribute : Attribute
{
    /// <summary>Declares average pooling; a stride of 0 means the kernel size (PyTorch's <c>None</c>).</summary>
    public AvgPool2dAttribute(int kernelSize, int stride = 0)
    {
        KernelSize = kernelSize;
        Stride = stride;
    }

    /// <summary>The window's side.</summary>
    public int KernelSize { get; }

    /// <summary>The step between windows (0: the kernel size).</summary>
    public int Stride { get; }
}
