using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests;

/// <summary>
/// C# → PyTorch: <c>Fixtures/Safetensors/{Name}.csharp.safetensors</c> was written by <see cref="Safetensors.Save(INetwork, Stream)"/>
/// and loaded by PyTorch 1.13 with <c>load_state_dict(strict=True)</c> (<c>make_safetensors.py --check-csharp</c>),
/// which recorded its outputs. These tests keep that proof current without Python: Save must still write exactly
/// those bytes, and the generated Forward must match the outputs PyTorch computed from them.
/// </summary>
/// <remarks>
/// The parameters and inputs come from exact formulas (small integers over powers of two), not from an RNG, so the
/// committed file does not depend on how networks are initialised. With the environment variable
/// <c>COMPILEDNETS_WRITE_SAFETENSORS</c> set to a folder, the tests write the file and its JSON there instead.
/// </remarks>
public sealed class SafetensorsPyTorchExportTests(ITestOutputHelper output)
{
    private const int Rows = 4;
    private const double Tolerance = 1e-5;

    [Fact]
    public void SeedNet_saved_file_is_the_one_PyTorch_loaded() => Check(new SeedNet(seed: 0), nameof(SeedNet));

    [Fact]
    public void TanhSigmoidNet_saved_file_is_the_one_PyTorch_loaded() => Check(new TanhSigmoidNet(seed: 0), nameof(TanhSigmoidNet));

    /// <summary>Batch norm: running_mean and running_var saved as F32, num_batches_tracked as I64 of shape [].</summary>
    [Fact]
    public void NormLeNet_saved_file_is_the_one_PyTorch_loaded() => Check(new NormLeNet(seed: 0), nameof(NormLeNet));

    [Fact]
    public void SignalNet_saved_file_is_the_one_PyTorch_loaded() => Check(new SignalNet(seed: 0), nameof(SignalNet));

    private void Check(INetwork net, string name)
    {
        Span<float> parameters = net.Parameters;
        for (int i = 0; i < parameters.Length; i++) parameters[i] = ((i * 37) % 101 - 50) / 128f;
        // Running means in [-0.5, 0.5], running variances in [0.25, 2.25] (positive), counters that differ per layer.
        foreach (BufferTensor buffer in net.NamedBuffers)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                int k = buffer.Offset + i;
                if (buffer.Dtype == BufferDtype.Int64) net.IntegerBuffers[k] = 7 + 5 * k;
                else if (buffer.Name.EndsWith("running_var", StringComparison.Ordinal)) net.Buffers[k] = 0.25f + ((k * 29) % 33) / 16f;
                else net.Buffers[k] = ((k * 41) % 33 - 16) / 32f;
            }
        }
        net.Eval(); // evaluation mode: the outputs use the running statistics saved with the parameters
        float[][] inputs = Enumerable.Range(0, Rows)
            .Select(row => Enumerable.Range(0, net.InputSize).Select(k => ((row * 31 + k * 53) % 97 - 48) / 32f).ToArray())
            .ToArray();

        var saved = new MemoryStream();
        Safetensors.Save(net, saved);

        string? writeTo = Environment.GetEnvironmentVariable("COMPILEDNETS_WRITE_SAFETENSORS");
        if (!string.IsNullOrEmpty(writeTo))
        {
            File.WriteAllBytes(Path.Combine(writeTo, name + ".csharp.safetensors"), saved.ToArray());
            var record = new { network = name, inputs, csharpOutputs = inputs.Select(row => Forward(net, row)).ToArray() };
            File.WriteAllText(Path.Combine(writeTo, name + ".csharp.json"), JsonSerializer.Serialize(record) + "\n");
            output.WriteLine($"Wrote {name}.csharp.safetensors and {name}.csharp.json to {writeTo}; now run make_safetensors.py --check-csharp.");
            return;
        }

        byte[] committed = File.ReadAllBytes(SafetensorsTestFiles.FixturePath(name + ".csharp.safetensors"));
        Assert.True(committed.AsSpan().SequenceEqual(saved.ToArray()),
            $"Save no longer writes the bytes PyTorch loaded ({name}.csharp.safetensors); if the change is intended, regenerate as described in tests/fixtures/make_safetensors.py.");

        var fixture = SafetensorsTestFiles.ReadFixture(name + ".csharp.json");
        Assert.Equal(Rows, fixture.TorchOutputs.Length);
        double largest = 0;
        for (int row = 0; row < Rows; row++)
        {
            Assert.Equal(inputs[row], fixture.Inputs[row]);
            float[] result = Forward(net, inputs[row]);
            for (int j = 0; j < result.Length; j++) largest = Math.Max(largest, Math.Abs(result[j] - fixture.TorchOutputs[row][j]));
        }
        output.WriteLine($"{name}: PyTorch {fixture.TorchVersion} loaded the file strictly; largest |C# - PyTorch| over {Rows} rows = {largest:G3}");
        Assert.InRange(largest, 0, Tolerance);
    }

    private static float[] Forward(INetwork net, float[] input)
    {
        var result = new float[net.OutputSize];
        net.Forward(input, result);
        return result;
    }
}
