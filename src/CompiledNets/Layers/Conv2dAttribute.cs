using System;

namespace CompiledNets;

/// <summary>
/// A 2-D convolution (cross-correlation), like PyTorch's <c>nn.Conv2d(in_channels, out_channels, kernel_size, stride,
/// padding)</c> with square kernels: <c>y[o, i, j] = bias[o] + Σ_c Σ_u Σ_v weight[o, c, u, v] · x[c, i·s − p + u, j·s − p + v]</c>
/// (zero outside the input). The weight is <c>[out, in, k, k]</c> row-major, then the bias; both initialized uniformly
/// in ±1/√(in·k·k), as PyTorch does.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2dAttribute : Attribute
{
    /// <summary>Declares a 2-D convolution.</summary>
    public Conv2dAttribute(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0)
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
    }

    /// <summary>Channels in; must equal what arrives.</summary>
    public int InChannels { get; }

    /// <summary>Channels out (filters).</summary>
    public int OutChannels { get; }

    /// <summary>The kernel's side.</summary>
    public int KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public int Stride { get; }

    /// <summary>Zeros added on every side.</summary>
    public int Padding { get; }
}
