using System;
using System.Linq;
using CompiledNets.Kernels;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>Inverted dropout as nn.Dropout: masks while training, identity in evaluation, reproducible for every thread count.</summary>
public sealed class DropoutTests
{
    private static float[] Outputs(INetwork net, float[] inputs)
    {
        using (net.NoGrad())
        {
            return net.Forward(inputs).Data.ToArray();
        }
    }

    [Fact]
    public void The_mask_keeps_one_minus_p_of_a_million_units_scaled_by_one_over_one_minus_p()
    {
        var masks = new DropoutMasks(seed: 1);
        var mask = new float[1_000_000];
        foreach (float p in new[] { 0.1f, 0.3f, 0.5f, 0.9f })
        {
            masks.Fill(mask, p);
            float scale = 1f / (1f - p);
            Assert.All(mask, m => Assert.True(m == 0f || m == scale));
            double kept = mask.Count(m => m != 0f) / (double)mask.Length;
            // Five standard deviations of a binomial share of 10⁶ draws.
            double sigma = Math.Sqrt(p * (1 - p) / mask.Length);
            Assert.InRange(kept, 1 - p - 5 * sigma, 1 - p + 5 * sigma);
        }
        masks.Fill(mask, 0f);
        Assert.All(mask, m => Assert.Equal(1f, m));
    }

    [Fact]
    public void Training_drops_units_of_a_batch_and_evaluation_is_the_identity()
    {
        var net = new WideDropoutNet(seed: 2);
        float[] inputs = TestData.Normal(1000 * WideDropoutNet.InputSize, seed: 3);
        Assert.True(net.Training);

        net.Eval();
        Assert.False(net.Training);
        float[] evaluated = Outputs(net, inputs);
        var predicted = new float[evaluated.Length];
        net.Predict(inputs, predicted);
        Assert.Equal(evaluated, predicted);

        net.Train();
        float[] trained = Outputs(net, inputs);
        int kept = 0;
        for (int i = 0; i < trained.Length; i++)
        {
            // Each unit is dropped, or kept and scaled by 1 / (1 − 0.3) exactly.
            Assert.True(trained[i] == 0f || trained[i] == evaluated[i] * (1f / 0.7f), $"unit {i}: {trained[i]} vs {evaluated[i]}");
            if (trained[i] != 0f) kept++;
        }
        double share = kept / (double)trained.Length;
        double sigma = Math.Sqrt(0.3 * 0.7 / trained.Length);
        Assert.InRange(share, 0.7 - 5 * sigma, 0.7 + 5 * sigma);

        // One-sample Forward and Predict are inference: never dropped, whatever the mode.
        var one = new float[WideDropoutNet.OutputSize];
        net.Forward(inputs.AsSpan(0, WideDropoutNet.InputSize), one);
        // (The one-sample kernels sum in another order than the batched ones: equal to rounding.)
        for (int i = 0; i < one.Length; i++) Assert.Equal(evaluated[i], one[i], 1e-5f);
        net.Predict(inputs, predicted);
        Assert.Equal(evaluated, predicted);
    }

    [Fact]
    public void Gradients_flow_only_through_kept_units()
    {
        var net = new WideDropoutNet(seed: 4);
        float[] input = TestData.Normal(WideDropoutNet.InputSize, seed: 5);
        var outputs = net.Forward(input);
        float[] y = outputs.Data.ToArray();
        net.Backward(Enumerable.Repeat(1f, WideDropoutNet.OutputSize).ToArray());
        float[] gradients = net.Gradients.ToArray();
        for (int unit = 0; unit < WideDropoutNet.OutputSize; unit++)
        {
            float bias = gradients[WideDropoutNet.NamedParameters[1].Offset + unit];
            // dLoss/dbias = mask: 0 for a dropped unit, 1 / (1 − p) for a kept one; the weight row follows.
            Assert.True(y[unit] == 0f && bias == 0f || bias == 1f / 0.7f, $"unit {unit}: output {y[unit]}, dbias {bias}");
            for (int i = 0; i < WideDropoutNet.InputSize; i++)
            {
                Assert.Equal(bias * input[i], gradients[unit * WideDropoutNet.InputSize + i]);
            }
        }
        Assert.Contains(0f, y);

        // In evaluation the gradient goes through unchanged.
        net.Gradients.Clear();
        net.Eval();
        net.Forward(input);
        net.Backward(Enumerable.Repeat(1f, WideDropoutNet.OutputSize).ToArray());
        Assert.All(net.Gradients.Slice(WideDropoutNet.NamedParameters[1].Offset, WideDropoutNet.OutputSize).ToArray(), g => Assert.Equal(1f, g));
    }

    [Fact]
    public void Masks_are_reproducible_from_the_seed_and_the_same_for_every_thread_count()
    {
        float[] inputs = TestData.Normal(512 * WideDropoutNet.InputSize, seed: 6);
        float[] Run(int threads, int seed)
        {
            var net = new WideDropoutNet(seed) { ThreadCount = threads };
            var all = new System.Collections.Generic.List<float>();
            for (int step = 0; step < 3; step++) all.AddRange(net.Forward(inputs).Data.ToArray());
            return all.ToArray();
        }
        float[] one = Run(1, seed: 7);
        Assert.Equal(one, Run(1, seed: 7));
        Assert.Equal(one, Run(2, seed: 7));
        Assert.Equal(one, Run(3, seed: 7));
        Assert.NotEqual(one, Run(1, seed: 8));
    }

    [Fact]
    public void P_zero_is_the_identity_while_training()
    {
        var net = new ZeroDropoutNet(seed: 9);
        float[] inputs = TestData.Normal(64 * ZeroDropoutNet.InputSize, seed: 10);
        float[] trained = Outputs(net, inputs);
        net.Eval();
        Assert.Equal(Outputs(net, inputs), trained);
    }

    [Fact]
    public void The_trainer_trains_in_training_mode_validates_in_evaluation_and_restores_the_mode()
    {
        var net = new DropoutNet(seed: 11);
        float[] inputs = TestData.Normal(64 * DropoutNet.InputSize, seed: 12);
        int[] labels = TestData.Labels(64, 2, seed: 13);
        var loader = new DataLoader(inputs, labels, 16);
        var trainer = new Trainer(net, new CrossEntropyLoss(), new Adam(net, lr: 0.01f));
        TrainingHistory history = trainer.Fit(loader, loader, epochs: 3);
        Assert.True(net.Training);

        // The last epoch's validation loss is the evaluation-mode loss (dropout off), not a dropped one.
        net.Eval();
        var (loss, _) = trainer.Evaluate(loader);
        Assert.False(net.Training);
        Assert.Equal(history.Epochs[^1].ValidationLoss, loss, 1e-6f);
        trainer.Fit(loader, null, epochs: 1);
        Assert.False(net.Training);
    }

    [Fact]
    public void Dropout_is_left_out_of_the_exported_graph()
    {
        using var directory = new TempDirectory();
        var net = new DropoutNet(seed: 14);
        string path = System.IO.Path.Combine(directory.Path, "dropout.onnx");
        CompiledNets.Onnx.OnnxExporter.Export(net, path);
        string text = System.Text.Encoding.Latin1.GetString(System.IO.File.ReadAllBytes(path));
        // Layer 3 reads layer 1's output: no node stands for layer 2.
        Assert.Contains("1.output", text);
        Assert.DoesNotContain("2.output", text);
        Assert.Equal("Dropout(p=0.25)", DropoutNet.Layers[2].ToString());
    }

    [Fact]
    public void A_checkpoint_holds_the_dropout_generator_so_a_resumed_run_draws_the_same_masks()
    {
        using var directory = new TempDirectory();
        string path = System.IO.Path.Combine(directory.Path, "dropout.ckpt");
        float[] inputs = TestData.Normal(96 * DropoutNet.InputSize, seed: 15);
        int[] labels = TestData.Labels(96, 2, seed: 16);
        float[] Run(int epochs, bool resume)
        {
            var net = new DropoutNet(seed: 17);
            var trainer = new Trainer(net, new CrossEntropyLoss(), new Sgd(net, lr: 0.05f, momentum: 0.9f));
            trainer.Fit(new DataLoader(inputs, labels, 16, shuffle: true, seed: 18), null, epochs, checkpoint: new CheckpointOptions(path, resume: resume));
            return net.Parameters.ToArray();
        }
        float[] straight = Run(8, resume: false);
        System.IO.File.Delete(path);
        Run(3, resume: false);
        Assert.Equal(straight, Run(8, resume: true));
    }

    [Fact]
    public void A_cancelled_fit_leaves_the_network_in_the_mode_it_had()
    {
        var net = new DropoutNet(seed: 19);
        net.Eval();
        var trainer = new Trainer(net, new CrossEntropyLoss(), new Sgd(net, lr: 0.1f));
        var loader = new DataLoader(TestData.Normal(32 * DropoutNet.InputSize, seed: 20), TestData.Labels(32, 2, seed: 21), 8);
        using var cancelled = new System.Threading.CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => trainer.Fit(loader, null, 3, cancellationToken: cancelled.Token));
        Assert.False(net.Training);
    }
}
