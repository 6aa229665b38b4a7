namespace CompiledNets.Generator.Model;

/// <summary>How a Linear layer's products are emitted; the parser picks one per layer from its size.</summary>
internal enum LinearStrategy
{
    /// <summary>
    /// A few hundred weights: one sample runs fully unrolled (every multiply written out); batches
    /// multiply by a transposed copy of the weight in SIMD tiles.
    /// </summary>
    Unrolled,

    /// <summary>Batches and single samples run in SIMD tiles that reduce along the inputs.</summary>
    Vectorized,
}
