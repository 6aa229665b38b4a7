namespace CompiledNets.Generator.Model;

/// <summary>A type the network is nested in, outermost first: its keyword and name. Must stay equatable.</summary>
internal sealed record ContainingTypeSpec(string Keyword, string Name);
