namespace CompiledNets.Generator.Model;

/// <summary>
/// One layer of a network, in declaration order, with every size it needs already computed. Each kind of
/// layer is its own record holding only its own fields (<see cref="LinearSpec"/>, <see cref="ActivationSpec"/>);
/// the emitter reaches each kind through one dispatch on the record's type. Must stay equatable.
/// </summary>
/// <param name="Index">Position in the attribute list, as <c>nn.Sequential</c> numbers its modules.</param>
/// <param name="Module">The layer as PyTorch prints the module, e.g. <c>Linear(10, 20)</c> or <c>LeakyReLU(0.1)</c>.</param>
/// <param name="InFeatures">Floats per sample going in.</param>
/// <param name="OutFeatures">Floats per sample coming out.</param>
internal abstract record LayerSpec(int Index, string Module, int InFeatures, int OutFeatures)
{
    /// <summary>The batch buffers this layer reads and writes, set by the parser once the whole chain is known.</summary>
    public LayerBuffers Buffers { get; init; } = new("", "", "", "", false, null, null);
}

/// <summary>
/// The fields of the buffers a layer works on: x, y, dLoss/dy, and dLoss/dx (for the first layer, dLoss/dinputs, which
/// backward writes only when <see cref="InputGradientOnRequest"/> and the caller asked for it: nothing before the first
/// layer learns); a transposed Linear's copy of weightᵀ (else null); the layer's output for one sample when one sample
/// runs through kernels (null in registers, and for the last layer, which writes the caller's span); and, for a first
/// Linear whose one-sample kernel reads a row's last partial vector whole, the padded copy of one sample's input it reads
/// instead of the caller's span (else null). Must stay equatable.
/// </summary>
internal sealed record LayerBuffers(
    string Input, string Output, string OutputGradient, string InputGradient, bool InputGradientOnRequest, string? WeightT, string? Sample,
    string? SampleInput = null);
