using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Model;

/// <summary>A diagnostic to report, as plain values. Must stay equatable.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] messageArgs) =>
        new(descriptor, location, new EquatableArray<string>(System.Linq.Enumerable.Select(messageArgs, a => System.Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? "")));

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(), System.Linq.Enumerable.ToArray<object>(MessageArgs));
}
