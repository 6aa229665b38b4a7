using System;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>
/// Batch normalization's modes and state as PyTorch's: buffers beside the parameters, batch statistics while training
/// (inside NoGrad too), running statistics in evaluation, Predict and one-sample Forward; a training batch of one value per
/// channel refused before anything changes; buffers saved in safetensors (F32 and I64) and checkpoints.
/// </summary>
public sealed class BatchNormTests
{
    private static float[] Inputs(INetwork net, int batch, int seed) => TestData.Normal(batch * net.InputSize, seed).Select(v => 1.5f * v + 0.3f).ToArray();

    [Fact]
    public void Buffers_are_named_typed_and_shaped_as_PyTorch_and_are_not_parameters()
    {
        Assert.Equal(
            ["2.running_mean", "2.running_var", "2.num_batches_tracked", "6.running_mean", "6.running_var", "6.num_batches_tracked",
             "11.running_mean", "11.running_var", "11.num_batches_tracked"],
            NormLeNet.NamedBuffers.Select(b => b.Name));
        Assert.Equal([4], NormLeNet.NamedBuffers[0].Shape);
        Assert.Empty(NormLeNet.NamedBuffers[2].Shape);
        Assert.Equal(BufferDtype.Int64, NormLeNet.NamedBuffers[2].Dtype);
        Assert.Equal(BufferDtype.Float32, NormLeNet.NamedBuffers[1].Dtype);
        Assert.Contains(NormLeNet.NamedParameters, p => p.Name == "2.weight");
        Assert.DoesNotContain(NormLeNet.NamedParameters, p => p.Name.Contains("running", StringComparison.Ordinal));

        INetwork net = new NormLeNet(seed: 0);
        Assert.Equal(2 * (4 + 8 + 16), net.Buffers.Length);
        Assert.Equal(3, net.IntegerBuffers.Length);
        // PyTorch's reset: weight 1, bias 0, running_mean 0, running_var 1.
        Assert.All(NormLeNet.NamedParameters.Single(p => p.Name == "2.weight").Slice(net.Parameters).ToArray(), w => Assert.Equal(1f, w));
        Assert.All(NormLeNet.NamedParameters.Single(p => p.Name == "2.bias").Slice(net.Parameters).ToArray(), b => Assert.Equal(0f, b));
        Assert.All(NormLeNet.NamedBuffers[1].Slice(net.Buffers).ToArray(), v => Assert.Equal(1f, v));
        Assert.Equal("BatchNorm2d(4, eps=1E-05, momentum=0.1)", NormLeNet.Layers[2].ToString());
    }

    [Fact]
    public void Training_mode_updates_the_running_statistics_also_without_gradients_and_inference_never_does()
    {
        INetwork net = new NormLeNet(seed: 1);
        float[] inputs = Inputs(net, 8, seed: 3);
        using (net.NoGrad())
        {
            net.Forward(inputs);
        }
        Assert.Equal([1L, 1L, 1L], net.IntegerBuffers.ToArray());
        float[] afterOne = net.Buffers.ToArray();
        Assert.NotEqual(new NormLeNet(seed: 1).Buffers.ToArray(), afterOne);

        // Predict, one-sample Forward and a batched forward in evaluation read the running statistics and change nothing.
        var outputs = new float[8 * net.OutputSize];
        net.Predict(inputs, outputs);
        net.Forward(inputs.AsSpan(0, net.InputSize), new float[net.OutputSize]);
        net.Eval();
        float[] evaluated = net.Forward(inputs).Data.ToArray();
        Assert.Equal(afterOne, net.Buffers.ToArray());
        Assert.Equal([1L, 1L, 1L], net.IntegerBuffers.ToArray());
        Assert.Equal(outputs, evaluated);

        // Back in training mode, a batch normalizes by its own statistics: other outputs than evaluation's.
        net.Train();
        float[] trained = net.Forward(inputs).Data.ToArray();
        Assert.NotEqual(evaluated, trained);
        Assert.Equal([2L, 2L, 2L], net.IntegerBuffers.ToArray());
    }

    [Fact]
    public void A_training_batch_with_one_value_per_channel_is_refused_before_anything_changes()
    {
        INetwork net = new FirstNormNet(seed: 0);
        float[] one = Inputs(net, 1, seed: 4);
        long version = net.ForwardVersion;
        float[] buffers = net.Buffers.ToArray();
        var error = Assert.Throws<ArgumentException>(() => net.Forward(one));
        Assert.Equal("inputs", error.ParamName);
        Assert.Contains("more than 1 value per channel", error.Message, StringComparison.Ordinal);
        Assert.Contains("a batch of 1 sample(s) brings 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(version, net.ForwardVersion);
        Assert.Equal(buffers, net.Buffers.ToArray());
        Assert.Equal(0L, net.IntegerBuffers[0]);

        // In evaluation one sample is fine, and a sequence brings L values of each channel even alone.
        net.Eval();
        net.Forward(one);
        INetwork sequence = new SignalNet(seed: 0);
        sequence.Forward(Inputs(sequence, 1, seed: 5)).Data.ToArray();
        Assert.Equal(1L, sequence.IntegerBuffers[0]);
    }

    [Fact]
    public void Backward_after_a_forward_in_evaluation_treats_the_running_statistics_as_constants()
    {
        // d/dx of (x − running_mean) / √(running_var + eps) · w + b is w / √(running_var + eps): FirstNormNet's BatchNorm
        // then Linear, so dLoss/dweight of the Linear and of the norm follow from the outputs alone; checked by differences.
        INetwork net = new FirstNormNet(seed: 2);
        net.Buffers.Fill(0.7f);
        net.Eval();
        float[] inputs = Inputs(net, 4, seed: 6);
        int[] labels = TestData.Labels(4, net.OutputSize, seed: 7);
        var criterion = new CrossEntropyLoss();
        net.Gradients.Clear();
        var loss = criterion.Forward(net.Forward(inputs), labels);
        loss.Backward();
        float[] analytic = net.Gradients.ToArray();
        for (int i = 0; i < net.ParameterCount; i++)
        {
            float saved = net.Parameters[i];
            double Loss(float value)
            {
                net.Parameters[i] = value;
                using (net.NoGrad())
                {
                    return criterion.Forward(net.Forward(inputs), labels).Item();
                }
            }
            double numeric = (Loss(saved + 1e-2f) - Loss(saved - 1e-2f)) / 2e-2;
            net.Parameters[i] = saved;
            Assert.True(Math.Abs(numeric - analytic[i]) < 2e-3, $"parameter {i}: {analytic[i]} against {numeric}");
        }
        Assert.All(net.Buffers.ToArray(), v => Assert.Equal(0.7f, v));
    }

    [Fact]
    public void Safetensors_hold_the_buffers_under_their_names_with_num_batches_tracked_as_an_int64_scalar()
    {
        INetwork net = new NormLeNet(seed: 3);
        using (net.NoGrad())
        {
            for (int pass = 0; pass < 3; pass++) net.Forward(Inputs(net, 6, seed: 10 + pass));
        }
        using var stream = new MemoryStream();
        Safetensors.Save(net, stream);
        byte[] file = stream.ToArray();
        string header = Encoding.UTF8.GetString(file, 8, (int)BitConverter.ToUInt64(file, 0));
        Assert.Contains("\"2.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[]", header, StringComparison.Ordinal);
        Assert.Contains("\"2.running_var\":{\"dtype\":\"F32\",\"shape\":[4]", header, StringComparison.Ordinal);
        // state_dict order: a module's parameters, then its buffers, then the next module's.
        Assert.True(header.IndexOf("\"2.running_mean\"", StringComparison.Ordinal) > header.IndexOf("\"2.bias\"", StringComparison.Ordinal));
        Assert.True(header.IndexOf("\"4.weight\"", StringComparison.Ordinal) > header.IndexOf("\"2.num_batches_tracked\"", StringComparison.Ordinal));

        INetwork loaded = new NormLeNet(seed: 4);
        Safetensors.Load(loaded, new MemoryStream(file));
        Assert.Equal(net.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal(net.Buffers.ToArray(), loaded.Buffers.ToArray());
        Assert.Equal([3L, 3L, 3L], loaded.IntegerBuffers.ToArray());

        // A file without the buffers (an MLP's layout here: the parameters only) is refused, naming what is missing.
        var withoutBuffers = new MemoryStream();
        Safetensors.Save(new SmallConvNet(seed: 0), withoutBuffers);
        var error = Assert.Throws<InvalidDataException>(() => Safetensors.Load(new NormLeNet(seed: 5), new MemoryStream(withoutBuffers.ToArray())));
        Assert.Contains("missing tensor '2.num_batches_tracked' (I64 [])", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_restores_the_running_statistics_and_counts()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "norm.ckpt");
        INetwork net = new SignalNet(seed: 6);
        var optimizer = new Adam(net, lr: 1e-3f);
        float[] inputs = Inputs(net, 32, seed: 20);
        int[] labels = TestData.Labels(32, net.OutputSize, seed: 21);
        var loader = new DataLoader(inputs, labels, batchSize: 8, shuffle: true, seed: 1);
        var criterion = new CrossEntropyLoss();
        foreach (var (x, y) in loader)
        {
            optimizer.ZeroGrad();
            var loss = criterion.Forward(net.Forward(x), y);
            loss.Backward();
            optimizer.Step();
        }
        Checkpoint.Save(path, net, optimizer, loader, epoch: 1, step: 4);

        INetwork restored = new SignalNet(seed: 7);
        var restoredOptimizer = new Adam(restored, lr: 1e-3f);
        var restoredLoader = new DataLoader(inputs, labels, batchSize: 8, shuffle: true, seed: 1);
        Checkpoint.Load(path, restored, restoredOptimizer, restoredLoader);
        Assert.Equal(net.Buffers.ToArray(), restored.Buffers.ToArray());
        Assert.Equal([4L], restored.IntegerBuffers.ToArray());
        Assert.Equal(net.Parameters.ToArray(), restored.Parameters.ToArray());
    }
}
