namespace CompiledNets.Generator.Model;

/// <summary>The shape of a vectorized Linear layer; its kernels are emitted once per distinct shape. Must stay equatable.</summary>
/// <param name="InFeatures">Inputs per sample.</param>
/// <param name="OutFeatures">Outputs per sample.</param>
/// <param name="NeedsInputGradient">Whether some layer of this shape back-propagates into its input.</param>
internal sealed record ShapeSpec(int InFeatures, int OutFeatures, bool NeedsInputGradient)
{
    public string Name => $"{InFeatures}x{OutFeatures}";
}
