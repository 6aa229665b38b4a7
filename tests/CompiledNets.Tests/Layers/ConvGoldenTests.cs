using System;
using System.Linq;
using System.Text.Json;
using CompiledNets.Tests.Golden;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests;

/// <summary>
/// Convolution, max and average pooling and Flatten against PyTorch 1.13 (tests/fixtures/make_conv_fixtures.py):
/// outputs and every parameter gradient of one batch, then 30 steps of SGD with momentum and of Adam (relative
/// differences, values below 0.01 measured against 0.01).
/// </summary>
public sealed class ConvGoldenTests(ITestOutputHelper output)
{
    public static TheoryData<string> Networks => new() { "SmallConvNet", "StridedConvNet" };

    private static INetwork Create(string name) => name switch
    {
        "SmallConvNet" => new SmallConvNet(seed: 0),
        "StridedConvNet" => new StridedConvNet(seed: 0),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static INetwork Loaded(string name, JsonElement fixture)
    {
        INetwork net = Create(name);
        float[] initial = fixture.GetProperty("initialParameters").Floats();
        Assert.Equal(net.ParameterCount, initial.Length);
        initial.CopyTo(net.Parameters);
        return net;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Outputs_and_gradients_of_a_batch_match_PyTorch(string name)
    {
        JsonElement fixture = FixtureJson.Load($"Conv/{name}.json");
        INetwork net = Loaded(name, fixture);
        float[] inputs = fixture.GetProperty("inputs").Floats();
        var outputs = net.Forward(inputs);
        float[] actual = outputs.Data.ToArray();
        net.Backward(fixture.GetProperty("probe").Floats());

        double outputDifference = FixtureJson.MaxRelative(actual, fixture.GetProperty("outputs").Floats(), floor: 1e-2);
        double gradientDifference = FixtureJson.MaxRelative(net.Gradients.ToArray(), fixture.GetProperty("gradients").Floats(), floor: 1e-2);
        output.WriteLine($"{name}: largest relative difference from PyTorch: outputs {outputDifference:E2}, gradients {gradientDifference:E2}");
        Assert.True(outputDifference < 1e-5, $"outputs {outputDifference}");
        Assert.True(gradientDifference < 1e-4, $"gradients {gradientDifference}");

        // One sample through the one-sample code gives the batch's first row (relative to a floor of 0.01, as everywhere here).
        var one = new float[net.OutputSize];
        net.Forward(inputs.AsSpan(0, net.InputSize), one);
        Assert.True(FixtureJson.MaxRelative(one, actual.AsSpan(0, net.OutputSize).ToArray(), floor: 1e-2) < 1e-6);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Thirty_steps_of_SGD_and_Adam_match_PyTorch(string name)
    {
        JsonElement fixture = FixtureJson.Load($"Conv/{name}.json");
        foreach (string optimizerName in new[] { "sgd", "adam" })
        {
            INetwork net = Loaded(name, fixture);
            IOptimizer optimizer = optimizerName == "sgd" ? new Sgd(net, lr: 0.05f, momentum: 0.9f) : new Adam(net, lr: 0.01f);
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
            output.WriteLine($"{name} {optimizerName}: largest relative difference from PyTorch: losses {lossDifference:E2}, final parameters {parameterDifference:E2}");
            Assert.True(lossDifference < 1e-4, $"{optimizerName} losses {lossDifference}");
            Assert.True(parameterDifference < 1e-4, $"{optimizerName} parameters {parameterDifference}");
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
            var optimizer = new Adam(net, lr: 0.01f);
            var criterion = new CrossEntropyLoss();
            for (int step = 0; step < 3; step++)
            {
                float[] inputs = TestData.Normal(256 * net.InputSize, seed: 20 + step);
                int[] labels = TestData.Labels(256, net.OutputSize, seed: 30 + step);
                optimizer.ZeroGrad();
                var loss = criterion.Forward(net.Forward(inputs), labels);
                loss.Backward();
                optimizer.Step();
            }
            return net.Parameters.ToArray();
        }
        float[] one = Train(1);
        Assert.Equal(one, Train(2));
        Assert.Equal(one, Train(3));
    }
}
