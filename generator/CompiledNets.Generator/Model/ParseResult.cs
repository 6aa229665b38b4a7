namespace CompiledNets.Generator.Model;

/// <summary>What the parser found for one network: a model to emit (null on errors) and diagnostics. Must stay equatable.</summary>
internal sealed record ParseResult(NetworkSpec? Network, EquatableArray<DiagnosticInfo> Diagnostics);
