using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CompiledNets.Onnx;
using Microsoft.ML.OnnxRuntime;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests.Onnx;

/// <summary>
/// Exported models run in ONNX Runtime and give what the generated one-sample <c>Forward</c> gives;
/// layer lists that do not describe the network are rejected with every mismatch named.
/// </summary>
public sealed class OnnxExportTests(ITestOutputHelper output)
{
    private const int BatchSize = 37;
    private const float Tolerance = 1e-5f;

    /// <summary>The layer attributes of each test network in <c>Networks.cs</c>, as the exporter takes them.</summary>
    private static IReadOnlyList<LayerInfo> Layers(string name) => name switch
    {
        "SeedNet" => [LayerInfo.Linear(10, 20), LayerInfo.ReLU, LayerInfo.Linear(20, 2)],
        "TanhSigmoidNet" => [LayerInfo.Linear(7, 13), LayerInfo.Tanh, LayerInfo.Linear(13, 5), LayerInfo.Sigmoid, LayerInfo.Linear(5, 3)],
        "LeakyNet" => [LayerInfo.Linear(24, 40), LayerInfo.LeakyReLU(0.1f), LayerInfo.Linear(40, 33), LayerInfo.LeakyReLU(), LayerInfo.Linear(33, 4)],
        "MnistNet" => [LayerInfo.Linear(784, 128), LayerInfo.ReLU, LayerInfo.Linear(128, 10)],
        "EndsWithSigmoidNet" => [LayerInfo.Linear(5, 19), LayerInfo.ReLU, LayerInfo.Linear(19, 3), LayerInfo.Sigmoid],
        "GeluSiluNet" => [LayerInfo.Linear(9, 24), new(LayerKind.GELU), LayerInfo.Linear(24, 17), new(LayerKind.SiLU), LayerInfo.Linear(17, 3)],
        "SmallSiluGeluNet" => [LayerInfo.Linear(4, 6), new(LayerKind.SiLU), LayerInfo.Linear(6, 5), new(LayerKind.GELU), LayerInfo.Linear(5, 2)],
        "PairNet" => [LayerInfo.Linear(23, 92), LayerInfo.ReLU, LayerInfo.Linear(92, 5)],
        "NarrowInputNet" => [LayerInfo.Linear(6, 52), LayerInfo.ReLU, LayerInfo.Linear(52, 3)],
        "WideHiddenNet" => [LayerInfo.Linear(12, 52), LayerInfo.ReLU, LayerInfo.Linear(52, 600), LayerInfo.Tanh, LayerInfo.Linear(600, 3)],
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown test network."),
    };

    [Theory]
    [MemberData(nameof(TestNetworks.All), MemberType = typeof(TestNetworks))]
    public void Onnx_runtime_output_equals_the_generated_forward(string name)
    {
        INetwork net = TestNetworks.Create(name, seed: 3);
        float[] initial = net.Parameters.ToArray();
        Train(net, steps: 5);
        Assert.False(net.Parameters.SequenceEqual(initial), "training did not change the parameters");

        // The generator lists the declared layers; the export reads them from the network itself.
        Assert.Equal(Layers(name), net.Layers);
        using var stream = new MemoryStream();
        OnnxExporter.Export(net, stream);
        byte[] model = stream.ToArray();

        float[] inputs = TestData.Normal(BatchSize * net.InputSize, seed: 17, scale: 2f);
        float[] actual = RunInOnnxRuntime(model, inputs, net.InputSize, net.OutputSize);

        var expected = new float[net.OutputSize];
        float largest = 0f;
        for (int row = 0; row < BatchSize; row++)
        {
            net.Forward(inputs.AsSpan(row * net.InputSize, net.InputSize), expected);
            for (int j = 0; j < net.OutputSize; j++)
            {
                float difference = MathF.Abs(actual[row * net.OutputSize + j] - expected[j]);
                Assert.False(float.IsNaN(difference), $"NaN at row {row}, column {j}");
                largest = MathF.Max(largest, difference);
            }
        }
        output.WriteLine($"{name}: {model.Length} bytes, {BatchSize} rows, largest |ONNX Runtime − Forward| = {largest:G3}");
        Assert.True(largest < Tolerance, $"{name}: largest difference {largest:G3} ≥ {Tolerance}");
    }

    [Theory]
    [InlineData("SmallConvNet")]
    [InlineData("StridedConvNet")]
    [InlineData("ActivationAroundConvNet")]
    [InlineData("NormLeNet")]
    [InlineData("SignalNet")]
    [InlineData("FirstNormNet")]
    [InlineData("PaddedInsideConvNet")]
    public void Convolutions_pooling_flatten_and_batch_norm_export_as_ONNX_Conv_MaxPool_AveragePool_Flatten_and_BatchNormalization(string name)
    {
        INetwork net = name == "ActivationAroundConvNet" ? new ActivationAroundConvNet(seed: 3) : TestNetworks.Create(name, seed: 3);
        if (net.NamedBuffers.Count > 0)
        {
            // Running statistics other than the initial zeros and ones: a few training-mode passes update them.
            using (net.NoGrad())
            {
                for (int pass = 0; pass < 3; pass++) net.Forward(TestData.Normal(16 * net.InputSize, seed: 40 + pass).Select(v => 2 * v + 0.5f).ToArray());
            }
            Assert.NotEqual(0, net.IntegerBuffers[0]);
        }
        using var stream = new MemoryStream();
        OnnxExporter.Export(net, stream);
        byte[] model = stream.ToArray();
        string text = System.Text.Encoding.Latin1.GetString(model);
        Assert.Contains(name == "FirstNormNet" ? "BatchNormalization" : "Conv", text);
        if (net.NamedBuffers.Count > 0) Assert.Contains("BatchNormalization", text);

        float[] inputs = TestData.Normal(BatchSize * net.InputSize, seed: 18);
        float[] actual = RunInOnnxRuntime(model, inputs, net.InputSize, net.OutputSize);
        var expected = new float[BatchSize * net.OutputSize];
        net.Predict(inputs, expected);
        float largest = 0f;
        for (int i = 0; i < expected.Length; i++) largest = MathF.Max(largest, MathF.Abs(actual[i] - expected[i]));
        output.WriteLine($"{name}: {model.Length} bytes, largest |ONNX Runtime − Predict| = {largest:G3}");
        Assert.True(largest < Tolerance, $"{name}: largest difference {largest:G3}");
    }

    [Fact]
    public void The_model_declares_a_symbolic_batch_and_the_state_dict_names()
    {
        var net = new LeakyNet(seed: 0);
        using var stream = new MemoryStream();
        OnnxExporter.Export(net, Layers("LeakyNet"), stream);

        using var session = new InferenceSession(stream.ToArray());
        NodeMetadata input = Assert.Single(session.InputMetadata, pair => pair.Key == OnnxExporter.InputName).Value;
        Assert.Single(session.InputMetadata);
        Assert.Equal(new[] { -1, LeakyNet.InputSize }, input.Dimensions);
        Assert.Equal(OnnxExporter.BatchDimension, input.SymbolicDimensions[0]);
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, input.ElementDataType);
        NodeMetadata result = Assert.Single(session.OutputMetadata, pair => pair.Key == OnnxExporter.OutputName).Value;
        Assert.Equal(new[] { -1, LeakyNet.OutputSize }, result.Dimensions);
        Assert.Equal(OnnxExporter.BatchDimension, result.SymbolicDimensions[0]);
        Assert.Equal("CompiledNets", session.ModelMetadata.ProducerName);
        Assert.Equal(nameof(LeakyNet), session.ModelMetadata.GraphName);
        // The initializers carry PyTorch's state_dict keys, as raw strings somewhere in the file.
        string text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        foreach (ParameterTensor tensor in LeakyNet.NamedParameters) Assert.Contains(tensor.Name, text);
    }

    [Fact]
    public void Export_to_a_path_writes_the_same_bytes_as_to_a_stream()
    {
        var net = new TanhSigmoidNet(seed: 1);
        using var stream = new MemoryStream();
        OnnxExporter.Export(net, Layers("TanhSigmoidNet"), stream);
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "net.onnx");

        OnnxExporter.Export(net, Layers("TanhSigmoidNet"), path);

        Assert.Equal(stream.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void A_wrong_output_size_names_the_tensor_and_both_shapes()
    {
        var net = new SeedNet(seed: 0);
        var exception = Assert.Throws<ArgumentException>(() =>
            OnnxExporter.Export(net, [LayerInfo.Linear(10, 20), LayerInfo.ReLU, LayerInfo.Linear(20, 3)], new MemoryStream()));
        output.WriteLine(exception.Message);
        Assert.Equal("layers", exception.ParamName);
        Assert.Contains("SeedNet (10 → 2)", exception.Message);
        Assert.Contains("layers[2] Linear(20, 3) needs \"2.weight\" [3, 20] at network.NamedParameters[2], but it is \"2.weight\" [2, 20]", exception.Message);
        Assert.Contains("layers[2] Linear(20, 3) needs \"2.bias\" [3] at network.NamedParameters[3], but it is \"2.bias\" [2]", exception.Message);
        Assert.Contains("the layers produce 3 features, but network.OutputSize is 2", exception.Message);
    }

    [Fact]
    public void A_missing_activation_shifts_the_state_dict_names_and_is_reported()
    {
        var net = new SeedNet(seed: 0);
        var exception = Assert.Throws<ArgumentException>(() =>
            OnnxExporter.Export(net, [LayerInfo.Linear(10, 20), LayerInfo.Linear(20, 2)], new MemoryStream()));
        output.WriteLine(exception.Message);
        Assert.Equal("layers", exception.ParamName);
        Assert.Contains("layers[1] Linear(20, 2) needs \"1.weight\" [2, 20] at network.NamedParameters[2], but it is \"2.weight\" [2, 20]", exception.Message);
    }

    [Fact]
    public void Layers_that_do_not_chain_or_are_missing_or_extra_are_all_listed()
    {
        var net = new TanhSigmoidNet(seed: 0);
        var exception = Assert.Throws<ArgumentException>(() =>
            OnnxExporter.Export(net, [LayerInfo.Linear(8, 13), LayerInfo.Tanh, LayerInfo.Linear(13, 3)], new MemoryStream()));
        output.WriteLine(exception.Message);
        Assert.Equal("layers", exception.ParamName);
        Assert.Contains("layers[0] Linear(8, 13) takes 8 features, but network.InputSize is 7", exception.Message);
        Assert.Contains("network.NamedParameters[4] \"4.weight\" [3, 5] belongs to no Linear, convolution or batch norm layer", exception.Message);
        Assert.Contains("network.NamedParameters[5] \"4.bias\" [3] belongs to no Linear, convolution or batch norm layer", exception.Message);

        exception = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(
            net, [.. Layers("TanhSigmoidNet"), LayerInfo.ReLU, LayerInfo.Linear(3, 3)], new MemoryStream()));
        output.WriteLine(exception.Message);
        Assert.Contains("layers[6] Linear(3, 3) needs \"6.weight\" [3, 3], but network.NamedParameters has only 6 tensors", exception.Message);

        exception = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(net, [], new MemoryStream()));
        Assert.Equal("layers", exception.ParamName);
        Assert.Contains("the list is empty", exception.Message);
    }

    [Fact]
    public void A_rejected_export_leaves_an_existing_file_untouched()
    {
        var net = new SeedNet(seed: 0);
        using var directory = new TempDirectory();
        string path = directory.Write("net.onnx", [1, 2, 3]);

        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(net, Layers("TanhSigmoidNet"), path));

        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
    }

    [Fact]
    public void Null_arguments_and_unwritable_streams_are_rejected()
    {
        var net = new SeedNet(seed: 0);
        IReadOnlyList<LayerInfo> layers = Layers("SeedNet");
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => OnnxExporter.Export(null!, layers, new MemoryStream())).ParamName);
        Assert.Equal("layers", Assert.Throws<ArgumentNullException>(() => OnnxExporter.Export(net, null!, new MemoryStream())).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => OnnxExporter.Export(net, layers, (Stream)null!)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => OnnxExporter.Export(net, layers, new MemoryStream([], writable: false))).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => OnnxExporter.Export(net, layers, "")).ParamName);
        Assert.Equal("layers", Assert.Throws<ArgumentException>(() => OnnxExporter.Export(net, [LayerInfo.Linear(10, 20), null!, LayerInfo.Linear(20, 2)], new MemoryStream())).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerInfo.Linear(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerInfo.LeakyReLU(float.NaN));
    }

    [Fact]
    public void The_protobuf_writer_encodes_varints_floats_and_nested_messages()
    {
        var writer = new ProtoWriter();
        writer.WriteInt64(1, 300);       // key 0x08, varint 300 = AC 02
        writer.WriteInt64(2, -1);        // key 0x10, ten bytes of two's complement
        writer.WriteFloat(3, 1f);        // key 0x1D, 00 00 80 3F
        writer.WriteString(4, "hé");     // key 0x22, length 3, UTF-8
        var nested = new ProtoWriter();
        nested.WriteInt64(1, 1);
        writer.WriteMessage(20, nested); // key (20 << 3 | 2) = 0xA2 0x01, length 2, 08 01
        byte[] expected =
        [
            0x08, 0xAC, 0x02,
            0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
            0x1D, 0x00, 0x00, 0x80, 0x3F,
            0x22, 0x03, 0x68, 0xC3, 0xA9,
            0xA2, 0x01, 0x02, 0x08, 0x01,
        ];
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
    }

    // A few SGD steps on fixed random data, so the exported parameters are not the initial ones.
    private static void Train(INetwork net, int steps)
    {
        const int batch = 16;
        float[] inputs = TestData.Normal(batch * net.InputSize, seed: 5);
        int[] labels = TestData.Labels(batch, net.OutputSize, seed: 6);
        var criterion = new CrossEntropyLoss();
        var optimizer = new Sgd(net, lr: 0.1f, momentum: 0.9f);
        for (int step = 0; step < steps; step++)
        {
            optimizer.ZeroGrad();
            criterion.Forward(net.Forward(inputs), labels).Backward();
            optimizer.Step();
        }
    }

    private static float[] RunInOnnxRuntime(byte[] model, float[] inputs, int inputSize, int outputSize)
    {
        using var session = new InferenceSession(model);
        int rows = inputs.Length / inputSize;
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, [rows, inputSize]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(
            runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.OutputName]);
        OrtValue result = Assert.Single(results);
        Assert.Equal(new long[] { rows, outputSize }, result.GetTensorTypeAndShape().Shape);
        return result.GetTensorDataAsSpan<float>().ToArray();
    }
}
