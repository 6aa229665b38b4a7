namespace CompiledNets.Generator.Model;

/// <summary>
/// A float array the network keeps for its batched passes. Must stay equatable.
/// </summary>
/// <param name="Field">The field name, e.g. <c>_a0</c>.</param>
/// <param name="RowFloats">Floats per row of the batch, or 0 for a buffer of fixed size.</param>
/// <param name="FixedFloats">The size of a fixed buffer (a transposed weight), 0 for batch buffers.</param>
/// <param name="Comment">What it holds, with its shape.</param>
internal sealed record BufferSpec(string Field, int RowFloats, int FixedFloats, string Comment)
{
    public bool IsBatch => RowFloats > 0;
}
