using System.Collections.Generic;
using System.Linq;

namespace CompiledNets.Generator;

/// <summary>The elementwise activations a network can declare, one per row of <see cref="Activations.All"/>.</summary>
internal enum ActivationFunction
{
    ReLU,
    LeakyReLU,
    Sigmoid,
    Tanh,
    GELU,
    SiLU,
}

/// <summary>What the backward formula of an activation reads besides dy: the layer's input x or its output y.</summary>
internal enum ActivationReads
{
    Input,
    Output,
}

/// <summary>
/// One activation: everything the parser and the emitter need to know about it, as data. Templates are C#
/// with placeholders: <c>{x}</c> the input, <c>{y}</c> the output, <c>{dy}</c> dLoss/dy, <c>{a}</c> the
/// argument as a number (code templates add the <c>f</c>); vector templates are over the generic vector type <c>V</c>.
/// </summary>
/// <param name="Function">The row's key.</param>
/// <param name="Name">The attribute's and PyTorch module's name, e.g. <c>GELU</c>.</param>
/// <param name="Argument">The name of the one constructor argument (<c>negativeSlope</c>), or null.</param>
/// <param name="DefaultArgument">PyTorch's default of that argument.</param>
/// <param name="Formula">The forward formula, for comments: <c>y = max(0, x)</c>.</param>
/// <param name="Scalar">One float: the expression of y from <c>{x}</c>, for code unrolled into local variables.</param>
/// <param name="Vector">One vector: the expression of y from <c>{x}</c>.</param>
/// <param name="Reads">Whether backward reads the kept input or the kept output.</param>
/// <param name="Derivative">The backward formula, for comments: <c>dx = dy · (y &gt; 0)</c>.</param>
/// <param name="BackwardPrelude">A vector statement before <paramref name="Backward"/>, or null.</param>
/// <param name="Backward">One vector: dLoss/dx from <c>{dy}</c> and <c>{x}</c> or <c>{y}</c>.</param>
/// <param name="LayerInfo">The runtime's description, e.g. <c>LayerInfo.ReLU</c>.</param>
internal sealed record ActivationDefinition(
    ActivationFunction Function,
    string Name,
    string? Argument,
    float DefaultArgument,
    string Formula,
    string Scalar,
    string Vector,
    ActivationReads Reads,
    string Derivative,
    string? BackwardPrelude,
    string Backward,
    string LayerInfo)
{
    /// <summary>The attribute's metadata name, through which the generator finds networks.</summary>
    public string AttributeMetadataName => $"CompiledNets.{Name}Attribute";
}

/// <summary>
/// The activation table: adding an activation is one row here (and its attribute, LayerInfo and ONNX
/// entries in the runtime). Forward and backward follow PyTorch's definitions (torch 1.13).
/// </summary>
internal static class Activations
{
    public static readonly IReadOnlyList<ActivationDefinition> All = new ActivationDefinition[]
    {
        new(ActivationFunction.ReLU, "ReLU", null, 0f,
            Formula: "y = max(0, x)",
            Scalar: "MathF.Max({x}, 0f)",
            Vector: "V.Max({x}, V.Zero)",
            ActivationReads.Output,
            Derivative: "dx = dy · (y > 0)",
            BackwardPrelude: null,
            Backward: "V.SelectGreater({y}, V.Zero, {dy}, V.Zero)",
            LayerInfo: "LayerInfo.ReLU"),
        new(ActivationFunction.LeakyReLU, "LeakyReLU", "negativeSlope", 0.01f,
            Formula: "y = x if x > 0 else {a} · x",
            Scalar: "{x} > 0f ? {x} : {x} * {a}f",
            Vector: "V.SelectGreater({x}, V.Zero, {x}, {x} * V.Create({a}f))",
            ActivationReads.Input,
            Derivative: "dx = dy if x > 0 else {a} · dy",
            BackwardPrelude: null,
            Backward: "V.SelectGreater({x}, V.Zero, {dy}, {dy} * V.Create({a}f))",
            LayerInfo: "LayerInfo.LeakyReLU({a}f)"),
        new(ActivationFunction.Sigmoid, "Sigmoid", null, 0f,
            Formula: "y = 1 / (1 + e^(−x))",
            Scalar: "1f / (1f + MathF.Exp(-{x}))",
            Vector: "SimdMath.Sigmoid({x})",
            ActivationReads.Output,
            Derivative: "dx = dy · y · (1 − y)",
            BackwardPrelude: null,
            Backward: "(V.Create(1f) - {y}) * {y} * {dy}",
            LayerInfo: "LayerInfo.Sigmoid"),
        new(ActivationFunction.Tanh, "Tanh", null, 0f,
            Formula: "y = tanh(x)",
            Scalar: "MathF.Tanh({x})",
            Vector: "SimdMath.Tanh({x})",
            ActivationReads.Output,
            Derivative: "dx = dy · (1 − y²)",
            BackwardPrelude: null,
            Backward: "(V.Create(1f) - {y} * {y}) * {dy}",
            LayerInfo: "LayerInfo.Tanh"),
        new(ActivationFunction.GELU, "GELU", null, 0f,
            Formula: "y = x · Φ(x), Φ(x) = (1 + erf(x / √2)) / 2 (exact GELU, PyTorch's approximate='none')",
            Scalar: "{x} * SimdMath.NormalCdf({x})",
            Vector: "{x} * SimdMath.NormalCdf({x})",
            ActivationReads.Input,
            Derivative: "dx = dy · (Φ(x) + x · φ(x)), φ(x) = e^(−x²/2) / √(2π)",
            BackwardPrelude: null,
            Backward: "{dy} * (SimdMath.NormalCdf({x}) + {x} * SimdMath.NormalPdf({x}))",
            LayerInfo: "new LayerInfo(LayerKind.GELU)"),
        new(ActivationFunction.SiLU, "SiLU", null, 0f,
            Formula: "y = x · σ(x), σ(x) = 1 / (1 + e^(−x))",
            Scalar: "{x} * SimdMath.Sigmoid({x})",
            Vector: "{x} * SimdMath.Sigmoid({x})",
            ActivationReads.Input,
            Derivative: "dx = dy · σ(x) · (1 + x · (1 − σ(x)))",
            BackwardPrelude: "V s = SimdMath.Sigmoid({x});",
            Backward: "{dy} * s * (V.Create(1f) + {x} * (V.Create(1f) - s))",
            LayerInfo: "new LayerInfo(LayerKind.SiLU)"),
    };

    public static ActivationDefinition Of(ActivationFunction function) => All.First(a => a.Function == function);

    /// <summary>Fills a template's placeholders.</summary>
    public static string Fill(string template, string? x = null, string? y = null, string? dy = null, string? argument = null) =>
        template.Replace("{x}", x ?? "{x}").Replace("{y}", y ?? "{y}").Replace("{dy}", dy ?? "{dy}").Replace("{a}", argument ?? "{a}");
}
