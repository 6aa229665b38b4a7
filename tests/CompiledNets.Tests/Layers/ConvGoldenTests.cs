using System;
using System.Linq;
using System.Text.Json;
using CompiledNets.Tests.Golden;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests;

/// <summary>
/// Convolutions (2-D and 1-D), max and average pooling, Flatten and batch normalization against PyTorch 1.13
/// (tests/fixtures/make_conv_fixtures.py): outputs, every parameter gradient and the running statistics of one training
/// batch and the eval-mode outputs after it, then 30 steps of SGD with momentum and of Adam (losses, final parameters and
/// running statistics; relative differences, values below 0.01 measured against 0.01).
/// </summary>
public sealed class ConvGoldenTests(ITestOutputHelper output)
{
    public static TheoryData<string> Networks => new() { "SmallConvNet", "StridedConvNet", "NormLeNet", "SignalNet", "FirstNormNet" };

    private static INetwork Create(string name) => name switch
    {
        "SmallConvNet" => new SmallConvNet(seed: 0),
        "StridedConvNet" => new StridedConvNet(seed: 0),
        "NormLeNet" => new NormLeNet(seed: 0),
        "SignalNet" => new SignalNet(seed: 0),
        "FirstNormNet" => new FirstNormNet(seed: 0),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static INetwork Loaded(string name, JsonElement fixture)
    {
        INetwork net = Create(name);
        float[] initial = fixture.GetProperty("initialParameters").Floats();
        Assert.Equal(net.ParameterCount, initial.Length);
        initial.CopyTo(net.Parameters);
        float[] buffers = fixture.GetProperty("initialBuffers").Floats();
        Assert.Equal(net.Buffers.Length, buffers.Length);
        buffers.CopyTo(net.Buffers);
        return net;
    }

    private static long[] Longs(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt64()).ToArray();

    [Theory]
    [MemberData(nameof(Networks))]
    public void Outputs_and_gradients_of_a_batch_match_PyTorch(string name)
    {
        JsonElement fixture = FixtureJson.Load($"Conv/{name}.json");
        INetwork net = Loaded(name, fixture);
        float[] inputs = fixture.GetProperty("inputs").Floats();
        net.InputRequiresGrad = true; // x.requires_grad_() in the fixture
        var outputs = net.Forward(inputs);
        float[] actual = outputs.Data.ToArray();
        net.Backward(fixture.GetProperty("probe").Floats());
        float[] inputGradient = net.InputGradient.ToArray();
        Assert.Equal(inputs.Length, inputGradient.Length);
        double inputGradientDifference = FixtureJson.MaxRelative(inputGradient, fixture.GetProperty("inputGradients").Floats(), floor: 1e-2);
        double exactInputGradientDifference = FixtureJson.MaxRelative(inputGradient, fixture.GetProperty("exactInputGradients").Floats(), floor: 1e-2);
        double pytorchInputGradientDifference = FixtureJson.MaxRelative(
            fixture.GetProperty("inputGradients").Floats(), fixture.GetProperty("exactInputGradients").Floats(), floor: 1e-2);

        double outputDifference = FixtureJson.MaxRelative(actual, fixture.GetProperty("outputs").Floats(), floor: 1e-2);
        double gradientDifference = FixtureJson.MaxRelative(net.Gradients.ToArray(), fixture.GetProperty("gradients").Floats(), floor: 1e-2);
        // Against the float64 answer, and PyTorch's own float32 distance from it.
        double exactOutputDifference = FixtureJson.MaxRelative(actual, fixture.GetProperty("exactOutputs").Floats(), floor: 1e-2);
        double exactGradientDifference = FixtureJson.MaxRelative(net.Gradients.ToArray(), fixture.GetProperty("exactGradients").Floats(), floor: 1e-2);
        double pytorchGradientDifference = FixtureJson.MaxRelative(fixture.GetProperty("gradients").Floats(), fixture.GetProperty("exactGradients").Floats(), floor: 1e-2);
        double bufferDifference = net.Buffers.Length == 0 ? 0 : FixtureJson.MaxRelative(net.Buffers.ToArray(), fixture.GetProperty("buffers").Floats(), floor: 1e-2);
        Assert.Equal(Longs(fixture.GetProperty("batchesTracked")), net.IntegerBuffers.ToArray());

        // Evaluation: the running statistics the training batch updated, in the batched pass and for one sample.
        net.Eval();
        float[] evaluated;
        using (net.NoGrad())
        {
            evaluated = net.Forward(inputs).Data.ToArray();
        }
        double evalDifference = FixtureJson.MaxRelative(evaluated, fixture.GetProperty("evalOutputs").Floats(), floor: 1e-2);
        output.WriteLine($"{name}: largest relative difference from PyTorch: outputs {outputDifference:E2}, gradients {gradientDifference:E2}, " +
            $"running statistics {bufferDifference:E2}, eval-mode outputs {evalDifference:E2}; from float64: outputs {exactOutputDifference:E2}, " +
            $"gradients {exactGradientDifference:E2} (PyTorch's float32 gradients: {pytorchGradientDifference:E2}); dLoss/dinputs {inputGradientDifference:E2} " +
            $"from PyTorch, {exactInputGradientDifference:E2} from float64 (PyTorch's: {pytorchInputGradientDifference:E2})");
        // Batch norm divides by the batch's deviations, which amplifies rounding (more so with fewer values per channel),
        // and each vector width rounds its own way; PyTorch's float32 answer lies as far from the float64 one (NormLeNet's
        // gradients: 1.8e-4). So the outputs and gradients are held to the float64 answer: within 1e-4, or no farther than
        // PyTorch's float32.
        double pytorchOutputDifference = FixtureJson.MaxRelative(fixture.GetProperty("outputs").Floats(), fixture.GetProperty("exactOutputs").Floats(), floor: 1e-2);
        Assert.True(outputDifference < 5e-5, $"outputs {outputDifference}");
        Assert.True(exactOutputDifference <= Math.Max(5e-5, pytorchOutputDifference), $"outputs from float64 {exactOutputDifference} (PyTorch's: {pytorchOutputDifference})");
        Assert.True(exactGradientDifference <= Math.Max(1e-4, pytorchGradientDifference), $"gradients from float64 {exactGradientDifference} (PyTorch's: {pytorchGradientDifference})");
        Assert.True(gradientDifference < 5e-4, $"gradients {gradientDifference}");
        Assert.True(exactInputGradientDifference <= Math.Max(1e-4, pytorchInputGradientDifference),
            $"dLoss/dinputs from float64 {exactInputGradientDifference} (PyTorch's: {pytorchInputGradientDifference})");
        Assert.True(inputGradientDifference < 5e-4, $"dLoss/dinputs {inputGradientDifference}");
        Assert.True(bufferDifference < 1e-5, $"running statistics {bufferDifference}");
        Assert.True(evalDifference < 5e-5, $"eval-mode outputs {evalDifference}");
        Assert.Equal(Longs(fixture.GetProperty("batchesTracked")), net.IntegerBuffers.ToArray());

        // One sample through the one-sample code gives the batch's first row in evaluation (relative to a floor of 0.01, as
        // everywhere here: its products sum in another order); Predict gives every row, bit for bit.
        var one = new float[net.OutputSize];
        net.Forward(inputs.AsSpan(0, net.InputSize), one);
        double sampleDifference = FixtureJson.MaxRelative(one, evaluated.AsSpan(0, net.OutputSize).ToArray(), floor: 1e-2);
        Assert.True(sampleDifference < 1e-5, $"one sample against the batch: {sampleDifference} ({string.Join(", ", one)} against {string.Join(", ", evaluated.Take(net.OutputSize))})");
        var predicted = new float[evaluated.Length];
        net.Predict(inputs, predicted);
        Assert.Equal(evaluated, predicted);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Thirty_steps_of_SGD_and_Adam_match_PyTorch(string name)
    {
        JsonElement fixture = FixtureJson.Load($"Conv/{name}.json");
        foreach (string optimizerName in new[] { "sgd", "adam" })
        {
            INetwork net = Loaded(name, fixture);
            IOptimizer optimizer = optimizerName == "sgd" ? new Sgd(net, lr: 0.02f, momentum: 0.9f) : new Adam(net, lr: 0.01f);
            JsonElement run = fixture.GetProperty(optimizerName);
            var criterion = new CrossEntropyLoss();
            JsonElement[] inputs = run.GetProperty("inputs").EnumerateArray().ToArray();
            JsonElement[] labels = run.GetProperty("labels").EnumerateArray().ToArray();
            var losses = new float[inputs.Length];
            for (int step = 0; step < inputs.Length; step++)
            {
                optimizer.ZeroGrad();
                var loss = criterion.Forward(net.Forward(inputs[step].Floats()), labels[step].Ints());
                losses[step] = loss.Item();
                loss.Backward();
                optimizer.Step();
            }
            double lossDifference = FixtureJson.MaxRelative(losses, run.GetProperty("losses").Floats(), floor: 1e-2);
            double parameterDifference = FixtureJson.MaxRelative(net.Parameters.ToArray(), run.GetProperty("finalParameters").Floats(), floor: 1e-2);
            double bufferDifference = net.Buffers.Length == 0 ? 0 : FixtureJson.MaxRelative(net.Buffers.ToArray(), run.GetProperty("finalBuffers").Floats(), floor: 1e-2);
            JsonElement exact = fixture.GetProperty(optimizerName + "Exact");
            double exactParameters = FixtureJson.MaxRelative(net.Parameters.ToArray(), exact.GetProperty("finalParameters").Floats(), floor: 1e-2);
            double pytorchExactParameters = FixtureJson.MaxRelative(run.GetProperty("finalParameters").Floats(), exact.GetProperty("finalParameters").Floats(), floor: 1e-2);
            output.WriteLine($"{name} {optimizerName}: largest relative difference from PyTorch: losses {lossDifference:E2}, " +
                $"final parameters {parameterDifference:E2}, running statistics {bufferDifference:E2}; final parameters from float64 {exactParameters:E2} " +
                $"(PyTorch's float32: {pytorchExactParameters:E2})");
            Assert.True(lossDifference < 1e-4, $"{optimizerName} losses {lossDifference}");
            Assert.True(parameterDifference < 1e-4, $"{optimizerName} parameters {parameterDifference}");
            Assert.True(bufferDifference < 1e-4, $"{optimizerName} running statistics {bufferDifference}");
            Assert.True(exactParameters < 1e-4, $"{optimizerName} parameters from float64 {exactParameters}");
            Assert.Equal(Longs(run.GetProperty("batchesTracked")), net.IntegerBuffers.ToArray());
        }
    }

    [Fact]
    public void Shapes_parameters_and_layers_are_described_as_PyTorch_names_them()
    {
        Assert.Equal(["0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias"], SmallConvNet.NamedParameters.Select(p => p.Name));
        Assert.Equal([4, 1, 3, 3], SmallConvNet.NamedParameters[0].Shape);
        Assert.Equal(144, SmallConvNet.InputSize);
        Assert.Equal("Conv2d(1, 4, kernel_size=3, stride=1, padding=1)", SmallConvNet.Layers[0].ToString());
        Assert.Equal("MaxPool2d(kernel_size=2, stride=2)", SmallConvNet.Layers[2].ToString());
        Assert.Equal(new WindowInfo(4, 6, 3, 1, 0, 6, 6, 4, 4), SmallConvNet.Layers[3].Window);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Training_gives_the_same_bits_on_one_two_and_three_threads(string name)
    {
        float[] Train(int threads)
        {
            INetwork net = Create(name);
            net.ThreadCount = threads;
            net.InputRequiresGrad = true; // dLoss/dinputs is split over threads too
            var optimizer = new Adam(net, lr: 0.01f);
            var criterion = new CrossEntropyLoss();
            float[] inputGradients = [];
            for (int step = 0; step < 3; step++)
            {
                float[] inputs = TestData.Normal(256 * net.InputSize, seed: 20 + step);
                int[] labels = TestData.Labels(256, net.OutputSize, seed: 30 + step);
                optimizer.ZeroGrad();
                var loss = criterion.Forward(net.Forward(inputs), labels);
                loss.Backward();
                inputGradients = [.. inputGradients, .. net.InputGradient];
                optimizer.Step();
            }
            return [.. net.Parameters, .. inputGradients];
        }
        float[] one = Train(1);
        Assert.Equal(one, Train(2));
        Assert.Equal(one, Train(3));
    }
}
