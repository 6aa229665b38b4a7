namespace CompiledNets.Generator.Model;

/// <summary>The shape of a Linear layer; its kernels are emitted once per distinct shape. Must stay equatable.</summary>
/// <param name="InFeatures">Inputs per sample.</param>
/// <param name="OutFeatures">Outputs per sample.</param>
/// <param name="NeedsInputGradient">Whether some layer of this shape back-propagates into its input.</param>
/// <param name="Small">
/// Whether the layer is small (<see cref="LinearStrategy.Unrolled"/>): its batched forward multiplies by a
/// transposed copy of the weight, one broadcast per input, instead of reducing along short rows.
/// </param>
internal sealed record ShapeSpec(int InFeatures, int OutFeatures, bool NeedsInputGradient, bool Small)
{
    public string Name => $"{InFeatures}x{OutFeatures}";
}
