using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator;

/// <summary>
/// Every diagnostic the generator reports. IDs are stable and listed in AnalyzerReleases.*.md and
/// in the README; messages name the numbers involved and the fix.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "CompiledNets";

    /// <summary>
    /// The diagnostics whose fix rewrites one constructor argument of the offending attribute, by ID: which argument,
    /// and which of the message's arguments holds the value to write. <see cref="NetworkAnalyzer"/> reports these (the
    /// IDE offers code fixes only for an analyzer's diagnostics, not for a generator's), with the rewrite in
    /// <see cref="RewriteArgument"/> and <see cref="RewriteValue"/>; the generator leaves them to it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (int Argument, string Parameter, int MessageArgument)> Rewrites =
        new Dictionary<string, (int, string, int)>
        {
            // Linear({0}, {1}) ... the previous layer produces {2}; use Linear({2}, {1}): inFeatures becomes {2}.
            ["CN0001"] = (0, "inFeatures", 2),
            // Flatten produces {0} = {1} features but Linear({2}, {3}) expects {2}; use Linear({1}, {3}).
            ["CN0021"] = (0, "inFeatures", 1),
            // Conv2d(...) expects {1} input channels but receives {2} ({3}); use Conv2d({2}, ...): inChannels becomes {2}.
            ["CN0024"] = (0, "inChannels", 2),
            // BatchNorm2d({1}) normalizes {1} channels but receives {2} ({3}); use BatchNorm2d({2}, ...): numFeatures becomes {2}.
            ["CN0028"] = (0, "numFeatures", 2),
        };

    /// <summary>
    /// The diagnostics whose fix renames the offending attribute to its other kind (Conv1d to Conv2d, BatchNorm2d to
    /// BatchNorm1d), its arguments kept, by ID: which of the message's arguments holds the new name.
    /// <see cref="NetworkAnalyzer"/> reports these too, with the name in <see cref="RewriteName"/>.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int> Renames = new Dictionary<string, int>
    {
        // {0} takes {1} but receives {2}; use {3}{4}: the attribute becomes {3}.
        ["CN0029"] = 3,
    };

    /// <summary>True for the diagnostics <see cref="NetworkAnalyzer"/> reports with a code fix (a rewrite or a rename).</summary>
    public static bool IsFixable(string id) => Rewrites.ContainsKey(id) || Renames.ContainsKey(id);

    /// <summary>The diagnostic property holding the layer attribute's new name (without <c>Attribute</c>).</summary>
    public const string RewriteName = "CompiledNets.RewriteName";

    /// <summary>The diagnostic property naming the constructor parameter a fix rewrites (an argument may name it).</summary>
    public const string RewriteParameter = "CompiledNets.RewriteParameter";

    /// <summary>The diagnostic property naming the 0-based constructor argument a fix rewrites.</summary>
    public const string RewriteArgument = "CompiledNets.RewriteArgument";

    /// <summary>The diagnostic property holding the value (C# source text) the fix writes there.</summary>
    public const string RewriteValue = "CompiledNets.RewriteValue";

    public static readonly DiagnosticDescriptor LinearInputMismatch = new(
        "CN0001",
        "Linear layer input size does not match the previous layer",
        "Linear({0}, {1}) expects {0} inputs but the previous layer produces {2}; use Linear({2}, {1})",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Each Linear layer's inFeatures must equal the number of features the layer before it produces (activations keep the size).");

    public static readonly DiagnosticDescriptor NonPositiveSize = new(
        "CN0002",
        "Layer size must be positive",
        "Linear({0}, {1}): {2} must be at least 1 but is {3}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "inFeatures and outFeatures of a Linear layer are counts of features and must be 1 or more.");

    public static readonly DiagnosticDescriptor NotPartial = new(
        "CN0003",
        "Network class must be partial",
        "The network class '{0}' must be declared partial so the generated forward and backward code can be added to it",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator adds members to the class that carries the layer attributes; add the 'partial' modifier.");

    public static readonly DiagnosticDescriptor NoLinearLayer = new(
        "CN0004",
        "Network has no Linear layer",
        "The network '{0}' has no Linear layer; add at least one, such as [Linear(inFeatures, outFeatures)], so it has parameters and an input size",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A network of activations only has nothing to train and no defined input size.");

    public static readonly DiagnosticDescriptor ActivationFirst = new(
        "CN0005",
        "Network must start with a Linear layer",
        "The network '{0}' starts with {1}; the first layer must be Linear, which defines the input size (apply fixed transforms when preparing the data)",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The first Linear layer's inFeatures is the network's InputSize; an activation before it has no size of its own.");

    public static readonly DiagnosticDescriptor ActivationLast = new(
        "CN0006",
        "Network ends with an activation",
        "The network '{0}' ends with {1}; CrossEntropyLoss expects raw logits, so remove the final activation, or suppress CN0006 if the outputs feed something else",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Cross-entropy applies log-softmax itself; squashing the logits first (Sigmoid, Tanh, ReLU) slows or stalls training.");

    public static readonly DiagnosticDescriptor LayersInSeveralDeclarations = new(
        "CN0007",
        "Layer attributes are spread over several partial declarations",
        "The layers of '{0}' are declared on more than one partial declaration; put all layer attributes on one declaration so their order is defined",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Attribute order is layer order, and the order of partial declarations across files is not something a reader can see.");

    public static readonly DiagnosticDescriptor GenericNetwork = new(
        "CN0008",
        "Generic network types are not supported",
        "The network '{0}' is generic or nested in a generic type ('{1}'); declare it in a non-generic type",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Generated code is specialized to fixed shapes and float parameters; type parameters have no meaning for it.");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = new(
        "CN0009",
        "Containing type must be partial",
        "The network '{0}' is nested in '{1}', which is not partial; make '{1}' partial",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "To add members to a nested class, every type around it must be partial too.");

    public static readonly DiagnosticDescriptor NotAClass = new(
        "CN0010",
        "Network must be a non-static class",
        "The network '{0}' is a {1}; declare it as a partial class that is not static, a record or file-local",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A network holds its parameters and buffers as instance state, records would compare those by value, and a file-local class cannot be extended from the generated file.");

    public static readonly DiagnosticDescriptor NetworkTooLarge = new(
        "CN0011",
        "Network is too large to generate",
        "The network '{0}' has {1} parameters, more than the {2} that CompiledNets generates code for; use smaller layers",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Generated networks keep every parameter in one float array and are meant for small, in-process models.");

    public static readonly DiagnosticDescriptor InvalidDropoutProbability = new(
        "CN0020",
        "Dropout probability must be in [0, 1)",
        "Dropout({0}): p must be at least 0 and below 1 (the probability of zeroing an element; 1 would zero everything)",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "nn.Dropout(p) takes p in [0, 1]; p = 1 makes every output 0 and its scale 1 / (1 - p) infinite, so CompiledNets refuses it.");

    public static readonly DiagnosticDescriptor FlattenLinearMismatch = new(
        "CN0021",
        "Linear after Flatten does not take the flattened size",
        "Flatten produces {0} = {1} features but Linear({2}, {3}) expects {2}; use Linear({1}, {3})",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A Linear after Flatten receives channels × height × width features of the layer before Flatten; its inFeatures must be that product.");

    public static readonly DiagnosticDescriptor SpatialLayerWithoutShape = new(
        "CN0022",
        "A convolution or pooling layer needs an image-shaped input",
        "{0} needs {2} samples but {1}; declare [Input({3})] first, or put it before Flatten and Linear",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Convolutions and pooling work on [C, H, W] (the 1-D ones on [C, L]): the first one needs [Input(...)] before it, and none may follow a Linear or Flatten.");

    public static readonly DiagnosticDescriptor LinearAfterSpatial = new(
        "CN0023",
        "Linear after a spatial layer needs Flatten",
        "Linear({0}, {1}) follows a layer that produces {2}; add [Flatten] before it (it then receives {3} = {4} features)",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "As in PyTorch, a Linear takes features: flatten [C, H, W] (or [C, L]) first.");

    public static readonly DiagnosticDescriptor ConvolutionChannelMismatch = new(
        "CN0024",
        "Convolution input channels do not match what it receives",
        "{0} expects {1} input channels but receives {2} ({3}); use {4}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A convolution's inChannels must equal the channels of its input.");

    public static readonly DiagnosticDescriptor WindowDoesNotFit = new(
        "CN0025",
        "Kernel larger than its input",
        "{0} receives {1}: a kernel of {2} with padding {3} leaves an output of {4}; use a smaller kernel, more padding, or a larger input",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The output side is ⌊(in + 2·padding − kernel) / stride⌋ + 1 and must be at least 1.");

    public static readonly DiagnosticDescriptor InvalidWindowArgument = new(
        "CN0026",
        "Invalid argument of a shape, convolution, pooling or normalization layer",
        "{0}: {1} must be {2} but is {3}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Channels, sides and kernels are at least 1, strides at least 1 (0 for pooling: the kernel size), padding at least 0; a normalization's eps is finite and above 0, its momentum in [0, 1].");

    public static readonly DiagnosticDescriptor BatchNormSizeMismatch = new(
        "CN0028",
        "BatchNorm size does not match what it receives",
        "{0} normalizes {1} channels but receives {2} ({3}); use {4}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A batch normalization's numFeatures must equal the features (after a Linear) or the channels (of an image or a sequence) it receives.");

    public static readonly DiagnosticDescriptor WrongSampleShape = new(
        "CN0029",
        "Layer does not take samples of this shape",
        "{0} takes {1} but receives {2}; use {3}{4}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Conv1d and the 1-D pooling layers take [C, L] sequences, Conv2d and the 2-D ones [C, H, W] images; BatchNorm1d takes features or sequences, BatchNorm2d images.");

    public static readonly DiagnosticDescriptor InputMisplaced = new(
        "CN0027",
        "Input must come first, once",
        "[Input] declares the sample shape of '{0}' and must be its first layer attribute, once",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Input is not a module: it states the shape of the samples, before the first layer.");

    public static readonly DiagnosticDescriptor InvalidNegativeSlope = new(
        "CN0012",
        "LeakyReLU slope must be a finite number",
        "LeakyReLU({0}): negativeSlope must be a finite number",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "NaN or infinite slopes would turn every negative activation into NaN or infinity.");

    public static readonly DiagnosticDescriptor ClassNamedLikeGeneratedMember = new(
        "CN0013",
        "Network class has the name of a generated member",
        "The network class '{0}' has the name of a member the generator adds to it ({1}), and C# forbids a member named like its class; rename the class, for example to '{0}Net'",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every network gets the members InputSize, OutputSize, ParameterCount, NamedParameters, Layers, Parameters, Gradients, GradEnabled, ThreadCount, NoGrad, Forward, Predict and Backward.");

    public static readonly DiagnosticDescriptor MemberNamedLikeGeneratedMember = new(
        "CN0014",
        "Network declares a member the generator adds",
        "The network '{0}' declares '{1}', but the generator adds {2} to every network; rename or remove '{1}'",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Two members of one name and signature cannot live in one class; overloads with other parameter types are fine.");

    public static readonly DiagnosticDescriptor PrimaryConstructor = new(
        "CN0015",
        "Network cannot have a primary constructor",
        "The network '{0}' has a primary constructor; the generator adds the constructor {0}(int seed), which cannot chain to it: remove the parameter list and declare other constructors as '{0}(…) : this(seed)'",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every other constructor of a class with a primary constructor must call it, and the generated constructor cannot know its arguments.");

    public static readonly DiagnosticDescriptor DerivesFromNetwork = new(
        "CN0016",
        "Network cannot derive from another network",
        "The network '{0}' derives from the network '{1}'; a network holds its own layers and parameters, so declare every layer on one class (or hold the other network in a field)",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generated members of the derived network would hide every member of the base network.");

    public static readonly DiagnosticDescriptor BaseWithoutParameterlessConstructor = new(
        "CN0017",
        "Network's base class has no accessible parameterless constructor",
        "The network '{0}' derives from '{1}', which has no accessible constructor without arguments for the generated constructor {0}(int seed) to call; give '{1}' one, or derive from another class",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generated constructor calls the base class's parameterless constructor implicitly.");

    public static readonly DiagnosticDescriptor InheritsGeneratedMember = new(
        "CN0018",
        "Network inherits a member the generator adds",
        "The network '{0}' inherits '{1}' from '{2}', which {3} would hide; rename it in '{2}', or derive from another class",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A generated member that hides an inherited one changes what code written against the base class calls.");

    public static readonly DiagnosticDescriptor NestedInFileLocalType = new(
        "CN0019",
        "Network cannot be nested in a file-local type",
        "The network '{0}' is nested in the file-local type '{1}', which the generated file cannot see; move the network out of '{1}', or remove 'file' from '{1}'",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A file-local type exists only in its own file, so the generated partial declaration would declare a different type.");
}
