using System;

namespace CompiledNets;

/// <summary>
/// The shape of one sample, <c>[channels, height, width]</c> for images or <c>[channels, length]</c> for sequences, required
/// before a network's first convolution and
/// optional before a <see cref="LinearAttribute"/> (then checked against its inFeatures). It is not a module: it takes
/// no <c>nn.Sequential</c> index, and samples stay rows of channels × height × width (or channels × length) floats in that order.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Declares an image-shaped sample.</summary>
    public InputAttribute(int channels, int height, int width)
    {
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>Declares a sequence-shaped sample (for <see cref="Conv1dAttribute"/> and the 1-D pooling layers).</summary>
    public InputAttribute(int channels, int length)
    {
        Channels = channels;
        Height = 1;
        Width = length;
        Length = length;
    }

    /// <summary>Channels per sample.</summary>
    public int Channels { get; }

    /// <summary>Rows of each channel.</summary>
    public int Height { get; }

    /// <summary>Columns of each channel (the length of a sequence).</summary>
    public int Width { get; }

    /// <summary>Steps of each channel of a sequence; 0 for an image.</summary>
    public int Length { get; }
}
