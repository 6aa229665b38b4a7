namespace CompiledNets.Generator.Model;

/// <summary>How a Linear layer's products are emitted; the parser picks one per layer from its size.</summary>
internal enum LinearStrategy
{
    /// <summary>Every multiply written out: no loops, no calls, best for a few hundred weights.</summary>
    Unrolled,

    /// <summary>Loops with constant trip counts over rows, with SIMD dot and axpy kernels along the inputs.</summary>
    Vectorized,
}
