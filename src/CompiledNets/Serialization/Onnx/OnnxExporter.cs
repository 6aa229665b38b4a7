using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CompiledNets.Onnx;

/// <summary>
/// Writes a trained network as an ONNX model (opset 13, ai.onnx) that ONNX Runtime, Netron or
/// <c>onnx.load</c> read, computing what the generated one-sample <c>Forward</c> computes.
/// </summary>
/// <remarks>
/// <para>The graph has one input, <c>"input"</c>, float <c>[batch, InputSize]</c>, and one output,
/// <c>"output"</c>, float <c>[batch, OutputSize]</c>, where <c>batch</c> is a symbolic dimension. Each
/// layer becomes its nodes, in order, as <c>torch.onnx.export</c> writes an <c>nn.Sequential</c>:</para>
/// <code>
/// Linear(in, out)  Gemm(x, W, b, transB = 1)   y = x Wᵀ + b, W [out, in] as in PyTorch's state_dict
/// ReLU             Relu                         y = max(0, x)
/// LeakyReLU(s)     LeakyRelu(alpha = s)         y = x if x ≥ 0 else s · x
/// Sigmoid          Sigmoid                      y = 1 / (1 + e^(−x))
/// Tanh             Tanh                         y = tanh(x)
/// GELU             Div, Erf, Add, Mul, Mul      y = 0.5 · x · (1 + erf(x / √2)) (opset 13 has no Gelu operator)
/// SiLU             Sigmoid, Mul                 y = x · σ(x)
/// </code>
/// <para>Weights and biases are initializers named by their state_dict keys (<c>"0.weight"</c>,
/// <c>"0.bias"</c>, ...), stored as raw little-endian floats, so the file reads back into PyTorch names.</para>
/// <para>The layers come from <see cref="INetwork.Layers"/>; an explicit list (for a network written by hand) must describe
/// the network exactly, e.g. <c>[LayerInfo.Linear(10, 20), LayerInfo.ReLU, LayerInfo.Linear(20, 2)]</c>.</para>
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The ONNX IR version written (7, the first to define opset 13).</summary>
    public const int IrVersion = 7;

    /// <summary>The ai.onnx operator set version written.</summary>
    public const int OpsetVersion = 13;

    /// <summary>The name of the graph input, float <c>[batch, InputSize]</c>.</summary>
    public const string InputName = "input";

    /// <summary>The name of the graph output, float <c>[batch, OutputSize]</c>.</summary>
    public const string OutputName = "output";

    /// <summary>The symbolic name of the batch dimension of <see cref="InputName"/> and <see cref="OutputName"/>.</summary>
    public const string BatchDimension = "batch";

    /// <summary>Writes <paramref name="network"/>, with its current parameters and its generated <see cref="INetwork.Layers"/>, as an ONNX model.</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="destination">A writable stream; the model is written at its current position.</param>
    public static void Export(INetwork network, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(network);
        Export(network, network.Layers, destination);
    }

    /// <summary>Writes <paramref name="network"/>, with its current parameters and its generated <see cref="INetwork.Layers"/>, as an ONNX model file.</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="path">The file to create or overwrite, conventionally ending in <c>.onnx</c>.</param>
    public static void Export(INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        Export(network, network.Layers, path);
    }

    /// <summary>Writes <paramref name="network"/>, with its current parameters, as an ONNX model, described by an explicit layer list.</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="layers">Its layers in declaration order; must match <see cref="INetwork.NamedParameters"/> exactly.</param>
    /// <param name="destination">A writable stream; the model is written at its current position.</param>
    /// <exception cref="ArgumentException"><paramref name="layers"/> does not describe <paramref name="network"/>; the message lists every mismatch.</exception>
    public static void Export(INetwork network, IReadOnlyList<LayerInfo> layers, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite) throw new ArgumentException("Expected a writable stream, but it cannot be written to.", nameof(destination));
        ProtoWriter model = WriteModel(network, layers);
        destination.Write(model.WrittenSpan);
    }

    /// <summary>Writes <paramref name="network"/>, with its current parameters, as an ONNX model file.</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="layers">Its layers in declaration order; must match <see cref="INetwork.NamedParameters"/> exactly.</param>
    /// <param name="path">The file to create or overwrite, conventionally ending in <c>.onnx</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="layers"/> does not describe <paramref name="network"/>; the message lists every mismatch.</exception>
    public static void Export(INetwork network, IReadOnlyList<LayerInfo> layers, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentException.ThrowIfNullOrEmpty(path);
        // Encode (and so validate) before opening the file, so a mismatch never truncates an existing model.
        ProtoWriter model = WriteModel(network, layers);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        file.Write(model.WrittenSpan);
    }

    private static ProtoWriter WriteModel(INetwork network, IReadOnlyList<LayerInfo> layers)
    {
        Validate(network, layers);

        var opset = new ProtoWriter();
        opset.WriteString(OnnxSchema.OperatorSetId.Domain, "");
        opset.WriteInt64(OnnxSchema.OperatorSetId.Version, OpsetVersion);

        var model = new ProtoWriter();
        model.WriteInt64(OnnxSchema.Model.IrVersion, IrVersion);
        model.WriteString(OnnxSchema.Model.ProducerName, "CompiledNets");
        model.WriteMessage(OnnxSchema.Model.Graph, WriteGraph(network, layers));
        model.WriteMessage(OnnxSchema.Model.OpsetImport, opset);
        return model;
    }

    private static ProtoWriter WriteGraph(INetwork network, IReadOnlyList<LayerInfo> layers)
    {
        var graph = new ProtoWriter();
        Span<float> parameters = network.Parameters;
        int parameterIndex = 0;
        string previous = InputName;
        // The graph takes and gives rows of features; convolutions and pooling take [N, C, H, W]. Whether the value after
        // each layer is an image: from the first spatial layer (the rows reshaped before it) until a Flatten.
        var image = new bool[layers.Count];
        for (int i = 0, state = 0; i < layers.Count; i++)
        {
            state = layers[i].Window is not null ? 1 : layers[i].Kind == LayerKind.Flatten ? 0 : state;
            image[i] = state == 1;
        }
        bool imageLast = layers.Count > 0 && image[^1];
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i].Window is { } window && (i == 0 || !image[i - 1]))
            {
                long[] shape = window.Dimensions == 1 ? [-1, window.InChannels, window.InWidth] : [-1, window.InChannels, window.InHeight, window.InWidth];
                previous = Reshape(graph, $"{i}.Reshape", previous, shape, $"{i}.image");
            }
            // Intermediate values are named after the layer that produced them; the last layer writes the graph output
            // (through a reshape back to rows when it leaves an image).
            string output = i == layers.Count - 1 && !imageLast ? OutputName : $"{i}.output";
            // Dropout is the identity in evaluation: the inference graph leaves it out (an Identity only when it is last).
            if (layers[i].Kind == LayerKind.Dropout)
            {
                if (i == layers.Count - 1) Node(graph, $"{i}.Identity", "Identity", [previous], output);
                continue;
            }
            WriteLayer(graph, network, parameters, layers[i], i, previous, output, ref parameterIndex);
            previous = output;
        }
        if (imageLast)
        {
            Reshape(graph, "output.Reshape", previous, [-1, network.OutputSize], OutputName);
        }
        graph.WriteString(OnnxSchema.Graph.Name, network.GetType().Name);
        graph.WriteMessage(OnnxSchema.Graph.Input, BatchOfRows(InputName, network.InputSize));
        graph.WriteMessage(OnnxSchema.Graph.Output, BatchOfRows(OutputName, network.OutputSize));
        return graph;
    }

    /// <summary>The nodes (and initializers) of one layer, from <paramref name="input"/> to <paramref name="output"/>.</summary>
    private static void WriteLayer(ProtoWriter graph, INetwork network, Span<float> parameters, LayerInfo layer, int index, string input, string output, ref int parameterIndex)
    {
        switch (layer.Kind)
        {
            case LayerKind.Linear:
                // Validate checked that the next two tensors are "{index}.weight" [out, in] and "{index}.bias" [out].
                ParameterTensor weight = network.NamedParameters[parameterIndex++];
                ParameterTensor bias = network.NamedParameters[parameterIndex++];
                graph.WriteMessage(OnnxSchema.Graph.Initializer, WriteTensor(weight, weight.Slice(parameters)));
                graph.WriteMessage(OnnxSchema.Graph.Initializer, WriteTensor(bias, bias.Slice(parameters)));
                // Gemm computes A·op(B) + C; transB = 1 makes op(B) = Wᵀ, so W keeps PyTorch's [out, in] layout.
                Node(graph, $"{index}.Gemm", "Gemm", [input, weight.Name, bias.Name], output, IntAttribute("transB", 1));
                break;
            case LayerKind.ReLU:
                Node(graph, $"{index}.Relu", "Relu", [input], output);
                break;
            case LayerKind.LeakyReLU:
                Node(graph, $"{index}.LeakyRelu", "LeakyRelu", [input], output, FloatAttribute("alpha", layer.NegativeSlope));
                break;
            case LayerKind.Sigmoid:
                Node(graph, $"{index}.Sigmoid", "Sigmoid", [input], output);
                break;
            case LayerKind.Tanh:
                Node(graph, $"{index}.Tanh", "Tanh", [input], output);
                break;
            case LayerKind.GELU:
                // 0.5 · x · (1 + erf(x / √2)), as torch.onnx exports nn.GELU() at opset 13.
                Node(graph, $"{index}.Div", "Div", [input, Constant(graph, $"{index}.sqrt2", MathF.Sqrt(2f))], $"{index}.scaled");
                Node(graph, $"{index}.Erf", "Erf", [$"{index}.scaled"], $"{index}.erf");
                Node(graph, $"{index}.Add", "Add", [$"{index}.erf", Constant(graph, $"{index}.one", 1f)], $"{index}.cdf2");
                Node(graph, $"{index}.Mul", "Mul", [input, $"{index}.cdf2"], $"{index}.product");
                Node(graph, $"{index}.Half", "Mul", [$"{index}.product", Constant(graph, $"{index}.half", 0.5f)], output);
                break;
            case LayerKind.SiLU:
                Node(graph, $"{index}.Sigmoid", "Sigmoid", [input], $"{index}.sigmoid");
                Node(graph, $"{index}.Mul", "Mul", [input, $"{index}.sigmoid"], output);
                break;
            case LayerKind.Conv2d or LayerKind.Conv1d:
                WindowInfo window = layer.Window!;
                ParameterTensor filters = network.NamedParameters[parameterIndex++];
                ParameterTensor offsets = network.NamedParameters[parameterIndex++];
                graph.WriteMessage(OnnxSchema.Graph.Initializer, WriteTensor(filters, filters.Slice(parameters)));
                graph.WriteMessage(OnnxSchema.Graph.Initializer, WriteTensor(offsets, offsets.Slice(parameters)));
                // One value per spatial axis (pads: the begins, then the ends).
                Node(graph, $"{index}.Conv", "Conv", [input, filters.Name, offsets.Name], output,
                    IntsAttribute("kernel_shape", PerAxis(window, window.KernelSize)), IntsAttribute("strides", PerAxis(window, window.Stride)),
                    IntsAttribute("pads", [.. PerAxis(window, window.Padding), .. PerAxis(window, window.Padding)]));
                break;
            case LayerKind.MaxPool2d or LayerKind.AvgPool2d or LayerKind.MaxPool1d or LayerKind.AvgPool1d:
                bool max = layer.Kind is LayerKind.MaxPool2d or LayerKind.MaxPool1d;
                Node(graph, $"{index}.{(max ? "MaxPool" : "AveragePool")}", max ? "MaxPool" : "AveragePool",
                    [input], output, IntsAttribute("kernel_shape", PerAxis(layer.Window!, layer.Window!.KernelSize)),
                    IntsAttribute("strides", PerAxis(layer.Window, layer.Window.Stride)));
                break;
            case LayerKind.BatchNorm1d or LayerKind.BatchNorm2d:
                // Evaluation: y = (x − running_mean) / √(running_var + epsilon) · scale + B, over axis 1 of [N, C, ...].
                ParameterTensor scale = network.NamedParameters[parameterIndex++];
                ParameterTensor shift = network.NamedParameters[parameterIndex++];
                graph.WriteMessage(OnnxSchema.Graph.Initializer, WriteTensor(scale, scale.Slice(parameters)));
                graph.WriteMessage(OnnxSchema.Graph.Initializer, WriteTensor(shift, shift.Slice(parameters)));
                BufferTensor mean = network.NamedBuffers.First(b => b.Name == $"{index}.running_mean");
                BufferTensor variance = network.NamedBuffers.First(b => b.Name == $"{index}.running_var");
                graph.WriteMessage(OnnxSchema.Graph.Initializer, WriteTensor(mean.Name, mean.Shape, mean.Slice(network.Buffers)));
                graph.WriteMessage(OnnxSchema.Graph.Initializer, WriteTensor(variance.Name, variance.Shape, variance.Slice(network.Buffers)));
                Node(graph, $"{index}.BatchNormalization", "BatchNormalization", [input, scale.Name, shift.Name, mean.Name, variance.Name], output,
                    FloatAttribute("epsilon", layer.Eps), FloatAttribute("momentum", 1f - layer.Momentum));
                break;
            case LayerKind.Flatten:
                Node(graph, $"{index}.Flatten", "Flatten", [input], output, IntAttribute("axis", 1));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(layer), layer.Kind, "Unknown layer kind.");
        }
    }

    /// <summary>One node: <paramref name="opType"/> of the inputs into one output.</summary>
    private static void Node(ProtoWriter graph, string name, string opType, string[] inputs, string output, params ProtoWriter[] attributes)
    {
        var node = new ProtoWriter();
        foreach (string input in inputs)
        {
            node.WriteString(OnnxSchema.Node.Input, input);
        }
        node.WriteString(OnnxSchema.Node.Output, output);
        node.WriteString(OnnxSchema.Node.Name, name);
        node.WriteString(OnnxSchema.Node.OpType, opType);
        foreach (ProtoWriter attribute in attributes)
        {
            node.WriteMessage(OnnxSchema.Node.Attribute, attribute);
        }
        graph.WriteMessage(OnnxSchema.Graph.Node, node);
    }

    /// <summary>A scalar float initializer (a constant operand of a formula written as nodes); returns its name.</summary>
    private static string Constant(ProtoWriter graph, string name, float value)
    {
        var proto = new ProtoWriter();
        proto.WriteInt64(OnnxSchema.Tensor.DataType, OnnxSchema.Tensor.DataTypeFloat);
        proto.WriteString(OnnxSchema.Tensor.Name, name);
        proto.WriteFloatsAsBytes(OnnxSchema.Tensor.RawData, [value]);
        graph.WriteMessage(OnnxSchema.Graph.Initializer, proto);
        return name;
    }

    private static ProtoWriter WriteTensor(ParameterTensor tensor, ReadOnlySpan<float> values) => WriteTensor(tensor.Name, tensor.Shape, values);

    private static ProtoWriter WriteTensor(string name, IReadOnlyList<int> shape, ReadOnlySpan<float> values)
    {
        var proto = new ProtoWriter();
        foreach (int dimension in shape) proto.WriteInt64(OnnxSchema.Tensor.Dims, dimension);
        proto.WriteInt64(OnnxSchema.Tensor.DataType, OnnxSchema.Tensor.DataTypeFloat);
        proto.WriteString(OnnxSchema.Tensor.Name, name);
        proto.WriteFloatsAsBytes(OnnxSchema.Tensor.RawData, values);
        return proto;
    }

    /// <summary>One value for each spatial axis of a window: two for an image, one for a sequence.</summary>
    private static long[] PerAxis(WindowInfo window, int value) => window.Dimensions == 1 ? [value] : [value, value];

    /// <summary>A Reshape of <paramref name="input"/> to <paramref name="shape"/> (an int64 initializer); returns the output's name.</summary>
    private static string Reshape(ProtoWriter graph, string name, string input, long[] shape, string output)
    {
        var tensor = new ProtoWriter();
        tensor.WriteInt64(OnnxSchema.Tensor.Dims, shape.Length);
        tensor.WriteInt64(OnnxSchema.Tensor.DataType, OnnxSchema.Tensor.DataTypeInt64);
        tensor.WriteString(OnnxSchema.Tensor.Name, name + ".shape");
        var bytes = new byte[shape.Length * sizeof(long)];
        for (int i = 0; i < shape.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), shape[i]);
        tensor.WriteBytes(OnnxSchema.Tensor.RawData, bytes);
        graph.WriteMessage(OnnxSchema.Graph.Initializer, tensor);
        Node(graph, name, "Reshape", [input, name + ".shape"], output);
        return output;
    }

    private static ProtoWriter IntsAttribute(string name, params long[] values)
    {
        var attribute = new ProtoWriter();
        attribute.WriteString(OnnxSchema.Attribute.Name, name);
        foreach (long value in values) attribute.WriteInt64(OnnxSchema.Attribute.Ints, value);
        attribute.WriteInt64(OnnxSchema.Attribute.Type, OnnxSchema.Attribute.TypeInts);
        return attribute;
    }

    private static ProtoWriter IntAttribute(string name, long value)
    {
        var attribute = new ProtoWriter();
        attribute.WriteString(OnnxSchema.Attribute.Name, name);
        attribute.WriteInt64(OnnxSchema.Attribute.I, value);
        attribute.WriteInt64(OnnxSchema.Attribute.Type, OnnxSchema.Attribute.TypeInt);
        return attribute;
    }

    private static ProtoWriter FloatAttribute(string name, float value)
    {
        var attribute = new ProtoWriter();
        attribute.WriteString(OnnxSchema.Attribute.Name, name);
        attribute.WriteFloat(OnnxSchema.Attribute.F, value);
        attribute.WriteInt64(OnnxSchema.Attribute.Type, OnnxSchema.Attribute.TypeFloat);
        return attribute;
    }

    // A float tensor [batch, features]: ValueInfoProto { name, TypeProto { Tensor { elem_type, shape } } }.
    private static ProtoWriter BatchOfRows(string name, int features)
    {
        var batch = new ProtoWriter();
        batch.WriteString(OnnxSchema.TensorShape.DimParam, BatchDimension);
        var width = new ProtoWriter();
        width.WriteInt64(OnnxSchema.TensorShape.DimValue, features);
        var shape = new ProtoWriter();
        shape.WriteMessage(OnnxSchema.TensorShape.Dim, batch);
        shape.WriteMessage(OnnxSchema.TensorShape.Dim, width);

        var tensorType = new ProtoWriter();
        tensorType.WriteInt64(OnnxSchema.Type.TensorElemType, OnnxSchema.Tensor.DataTypeFloat);
        tensorType.WriteMessage(OnnxSchema.Type.TensorShape, shape);
        var type = new ProtoWriter();
        type.WriteMessage(OnnxSchema.Type.TensorType, tensorType);

        var valueInfo = new ProtoWriter();
        valueInfo.WriteString(OnnxSchema.ValueInfo.Name, name);
        valueInfo.WriteMessage(OnnxSchema.ValueInfo.Type, type);
        return valueInfo;
    }

    /// <summary>
    /// Checks that <paramref name="layers"/> describes <paramref name="network"/>: sizes chain from
    /// <see cref="INetwork.InputSize"/> to <see cref="INetwork.OutputSize"/>, and the Linear layers'
    /// tensors are exactly <see cref="INetwork.NamedParameters"/> (names, shapes, order). Every problem
    /// is listed in one <see cref="ArgumentException"/> for <paramref name="layers"/>.
    /// </summary>
    private static void Validate(INetwork network, IReadOnlyList<LayerInfo> layers)
    {
        var problems = new List<string>();
        if (layers.Count == 0) problems.Add("the list is empty, but a network has at least one layer");

        // The tensors the layers imply, in nn.Sequential's state_dict order: "{index}.weight" [out, in], "{index}.bias" [out].
        var expected = new List<(string Name, int[] Shape, string Owner)>();
        int features = network.InputSize;
        bool spatial = false;
        for (int i = 0; i < layers.Count; i++)
        {
            LayerInfo? layer = layers[i];
            if (layer is null)
            {
                problems.Add($"layers[{i}] is null");
                continue;
            }
            if (!Enum.IsDefined(layer.Kind))
            {
                problems.Add($"layers[{i}] has unknown kind {(int)layer.Kind}");
                continue;
            }
            if (layer.Kind == LayerKind.LeakyReLU && !float.IsFinite(layer.NegativeSlope))
            {
                problems.Add($"layers[{i}] {layer} has a non-finite negative slope");
            }
            if (layer.Kind is LayerKind.Conv2d or LayerKind.Conv1d && layer.Window is { } conv)
            {
                if (layer.InFeatures != features) problems.Add($"layers[{i}] {layer} takes {layer.InFeatures} features, but the layer before it produces {features}");
                features = layer.OutFeatures;
                expected.Add(($"{i}.weight", conv.Dimensions == 1
                    ? [conv.OutChannels, conv.InChannels, conv.KernelSize]
                    : [conv.OutChannels, conv.InChannels, conv.KernelSize, conv.KernelSize], $"layers[{i}] {layer}"));
                expected.Add(($"{i}.bias", [conv.OutChannels], $"layers[{i}] {layer}"));
                spatial = true;
                continue;
            }
            if (layer.Window is not null)
            {
                features = layer.OutFeatures;
                spatial = true;
                continue;
            }
            if (layer.Kind == LayerKind.Flatten) spatial = false;
            if (layer.Kind is LayerKind.BatchNorm1d or LayerKind.BatchNorm2d)
            {
                // Before the first convolution the graph holds rows of features: a batch norm there must normalize each feature.
                if (!spatial && layer.InFeatures != features)
                {
                    problems.Add($"layers[{i}] {layer} normalizes {layer.InFeatures} channels of the {features} features before any convolution, which the exported rows cannot express");
                }
                foreach (string buffer in new[] { "running_mean", "running_var" })
                {
                    if (!network.NamedBuffers.Any(b => b.Name == $"{i}.{buffer}" && b.Dtype == BufferDtype.Float32 && b.Length == layer.InFeatures))
                    {
                        problems.Add($"layers[{i}] {layer} needs the buffer \"{i}.{buffer}\" [{layer.InFeatures}], which network.NamedBuffers lacks");
                    }
                }
                expected.Add(($"{i}.weight", [layer.InFeatures], $"layers[{i}] {layer}"));
                expected.Add(($"{i}.bias", [layer.InFeatures], $"layers[{i}] {layer}"));
                continue;
            }
            if (layer.Kind != LayerKind.Linear) continue;
            if (layer.InFeatures <= 0 || layer.OutFeatures <= 0)
            {
                problems.Add($"layers[{i}] {layer} has a size ≤ 0");
                continue;
            }
            if (layer.InFeatures != features)
            {
                string source = expected.Count == 0 ? $"network.InputSize is {features}" : $"the layer before it produces {features}";
                problems.Add($"layers[{i}] {layer} takes {layer.InFeatures} features, but {source}");
            }
            features = layer.OutFeatures;
            string owner = $"layers[{i}] {layer}";
            expected.Add(($"{i}.weight", [layer.OutFeatures, layer.InFeatures], owner));
            expected.Add(($"{i}.bias", [layer.OutFeatures], owner));
        }
        if (layers.Count > 0 && features != network.OutputSize)
        {
            problems.Add($"the layers produce {features} features, but network.OutputSize is {network.OutputSize}");
        }

        IReadOnlyList<ParameterTensor> actual = network.NamedParameters;
        int parameterLength = network.Parameters.Length;
        for (int k = 0; k < Math.Max(expected.Count, actual.Count); k++)
        {
            if (k >= actual.Count)
            {
                var (name, shape, owner) = expected[k];
                problems.Add($"{owner} needs \"{name}\" {Format(shape)}, but network.NamedParameters has only {actual.Count} tensors");
                continue;
            }
            ParameterTensor tensor = actual[k];
            if (k >= expected.Count)
            {
                problems.Add($"network.NamedParameters[{k}] \"{tensor.Name}\" {Format(tensor.Shape)} belongs to no Linear, convolution or batch norm layer");
                continue;
            }
            var (expectedName, expectedShape, expectedOwner) = expected[k];
            if (tensor.Name != expectedName || !SameShape(tensor.Shape, expectedShape))
            {
                problems.Add($"{expectedOwner} needs \"{expectedName}\" {Format(expectedShape)} at network.NamedParameters[{k}], " +
                    $"but it is \"{tensor.Name}\" {Format(tensor.Shape)}");
            }
            if ((long)tensor.Offset + tensor.Length > parameterLength)
            {
                problems.Add($"network.NamedParameters[{k}] \"{tensor.Name}\" ends at {(long)tensor.Offset + tensor.Length}, " +
                    $"past the {parameterLength} floats of network.Parameters");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(
                $"The layers do not describe the network {network.GetType().Name} ({network.InputSize} → {network.OutputSize}): " +
                string.Join("; ", problems) + ".",
                nameof(layers));
        }
    }

    private static bool SameShape(IReadOnlyList<int> shape, int[] expected)
    {
        if (shape.Count != expected.Length) return false;
        for (int d = 0; d < expected.Length; d++)
        {
            if (shape[d] != expected[d]) return false;
        }
        return true;
    }

    private static string Format(IReadOnlyList<int> shape) =>
        "[" + string.Join(", ", (IEnumerable<int>)shape) + "]";
}
