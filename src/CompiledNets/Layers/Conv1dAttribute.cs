using System;

namespace CompiledNets;

/// <summary>
/// A 1-D convolution (cross-correlation) over sequences, like PyTorch's <c>nn.Conv1d(in_channels, out_channels,
/// kernel_size, stride, padding)</c>: <c>y[o, i] = bias[o] + Σ_c Σ_v weight[o, c, v] · x[c, i·s − p + v]</c> (zero outside
/// the input). The weight is <c>[out, in, k]</c> row-major, then the bias; both initialized uniformly in ±1/√(in·k), as
/// PyTorch does. Samples are <c>[channels, length]</c>, declared by <c>[Input(channels, length)]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv1dAttribute : Attribute
{
    /// <summary>Declares a 1-D convolution.</summary>
    public Conv1dAttribute(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0)
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

    /// <summary>The kernel's length.</summary>
    public int KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public int Stride { get; }

    /// <summary>Zeros added at both ends.</summary>
    public int Padding { get; }
}
