using System;
using System.IO;
using System.Text.Json;

namespace CompiledNets.Tests.Golden;

/// <summary>
/// One PyTorch training run recorded by <c>tests/fixtures/make_golden.py</c>: the starting parameters,
/// every batch, the loss of every step, the first gradients and the parameters at the end.
/// </summary>
/// <remarks>
/// Parameters and gradients are flat, in state_dict order, which is exactly the layout of
/// <see cref="INetwork.Parameters"/>. Numbers are stored as the shortest decimal that names each float32,
/// and System.Text.Json parses them straight into <see cref="float"/>, so every value arrives bit for bit.
/// </remarks>
public sealed class GoldenFixture
{
    public string Network { get; init; } = "";
    public string TorchVersion { get; init; } = "";
    public int BatchSize { get; init; }
    public int Steps { get; init; }
    public SgdSettings Sgd { get; init; } = new();
    public string[] ParameterNames { get; init; } = [];
    public float[] InitialParameters { get; init; } = [];
    public float[][] Inputs { get; init; } = [];
    public int[][] Labels { get; init; } = [];
    public float[] Losses { get; init; } = [];
    public float[] FirstGradients { get; init; } = [];
    public float[] FinalParameters { get; init; } = [];

    /// <summary>The <c>torch.optim.SGD</c> arguments of the run.</summary>
    public sealed class SgdSettings
    {
        public float Lr { get; init; }
        public float Momentum { get; init; }
        public float Dampening { get; init; }
        public float WeightDecay { get; init; }
        public bool Nesterov { get; init; }
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>
    /// Reads <c>Fixtures/{name}.json</c> from the test output directory and checks that its shapes fit a
    /// network of <paramref name="inputSize"/> inputs, so a stale fixture fails with a message instead of
    /// an index error mid-replay. (The parameter counts are the test's own assertion.)
    /// </summary>
    public static GoldenFixture Load(string name, int inputSize)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Missing golden fixture {path}; regenerate it with /usr/bin/python3 tests/fixtures/make_golden.py.", path);
        }
        GoldenFixture fixture = JsonSerializer.Deserialize<GoldenFixture>(File.ReadAllText(path), Options)
            ?? throw new InvalidDataException($"{path} holds no fixture.");

        void Expect(bool condition, string what)
        {
            if (!condition) throw new InvalidDataException($"{path}: {what}; regenerate it with tests/fixtures/make_golden.py.");
        }
        Expect(fixture.Network == name, $"expected network {name} but the fixture is for '{fixture.Network}'");
        Expect(fixture.Steps > 0 && fixture.BatchSize > 0, $"expected steps and batch size > 0 but got {fixture.Steps} and {fixture.BatchSize}");
        Expect(fixture.Inputs.Length == fixture.Steps && fixture.Labels.Length == fixture.Steps && fixture.Losses.Length == fixture.Steps,
            $"expected {fixture.Steps} batches, label lists and losses but got {fixture.Inputs.Length}, {fixture.Labels.Length} and {fixture.Losses.Length}");
        for (int step = 0; step < fixture.Steps; step++)
        {
            Expect(fixture.Inputs[step].Length == fixture.BatchSize * inputSize,
                $"expected {fixture.BatchSize} x {inputSize} inputs at step {step} but got {fixture.Inputs[step].Length}");
            Expect(fixture.Labels[step].Length == fixture.BatchSize,
                $"expected {fixture.BatchSize} labels at step {step} but got {fixture.Labels[step].Length}");
        }
        return fixture;
    }
}
