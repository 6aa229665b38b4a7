namespace CompiledNets;

/// <summary>
/// The sizes of a convolution or pooling layer: its square window (a run of steps for a sequence), stride and padding, and the
/// <c>[channels, height, width]</c> of one sample in and out (<c>out = ⌊(in + 2·padding − kernel) / stride⌋ + 1</c>).
/// </summary>
/// <param name="InChannels">Channels in.</param>
/// <param name="OutChannels">Channels out (equal to <paramref name="InChannels"/> for pooling).</param>
/// <param name="KernelSize">The window's side.</param>
/// <param name="Stride">The step between windows.</param>
/// <param name="Padding">Zeros on every side (0 for pooling).</param>
/// <param name="InHeight">Rows in.</param>
/// <param name="InWidth">Columns in.</param>
/// <param name="OutHeight">Rows out.</param>
/// <param name="OutWidth">Columns out.</param>
/// <param name="Dimensions">2 for images; 1 for sequences (<c>[channels, length]</c>, height 1, the window along the width).</param>
public sealed record WindowInfo(int InChannels, int OutChannels, int KernelSize, int Stride, int Padding, int InHeight, int InWidth, int OutHeight, int OutWidth, int Dimensions = 2);
