namespace CompiledNets.Generator;

/// <summary>Names of the tracked pipeline steps, so tests can check what was cached.</summary>
public static class TrackingNames
{
    /// <summary>The parse step: attributes on one class turned into a model and diagnostics.</summary>
    public const string Parse = nameof(Parse);

    /// <summary>The parse results that own a network (one per class), ready to emit.</summary>
    public const string Networks = nameof(Networks);

    /// <summary>Every network's spec with a unique hint name: the input of the source output.</summary>
    public const string Sources = nameof(Sources);

    /// <summary>Every diagnostic, located in the compilation's syntax trees: the input of the diagnostics output.</summary>
    public const string Diagnostics = nameof(Diagnostics);
}
