using System;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests;

/// <summary>The PyTorch loop end to end: a network learns a task it can learn.</summary>
public sealed class TrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void The_seed_net_learns_a_nonlinear_two_class_task()
    {
        // Class 1 on one side of a plane bent by an interaction term: not linearly separable.
        const int train = 3000, test = 1000;
        float[] inputs = TestData.Normal((train + test) * SeedNet.InputSize, seed: 21);
        var labels = new int[train + test];
        for (int s = 0; s < labels.Length; s++)
        {
            ReadOnlySpan<float> x = inputs.AsSpan(s * SeedNet.InputSize, SeedNet.InputSize);
            labels[s] = x[0] + 0.5f * x[1] - 0.8f * x[2] + 1.5f * x[3] * x[4] > 0f ? 1 : 0;
        }
        var trainLoader = new DataLoader(inputs[..(train * SeedNet.InputSize)], labels[..train], batchSize: 32, shuffle: true, seed: 1);
        var testLoader = new DataLoader(inputs[(train * SeedNet.InputSize)..], labels[train..], batchSize: 100);

        var net = new SeedNet(seed: 0);
        var criterion = new CrossEntropyLoss();
        var optimizer = new Sgd(net, lr: 0.05f, momentum: 0.9f);
        float firstEpochLoss = 0, lastEpochLoss = 0;
        for (int epoch = 0; epoch < 30; epoch++)
        {
            float runningLoss = 0;
            foreach (var (x, y) in trainLoader)
            {
                optimizer.ZeroGrad();
                var loss = criterion.Forward(net.Forward(x), y);
                loss.Backward();
                optimizer.Step();
                runningLoss += loss.Item();
            }
            lastEpochLoss = runningLoss / trainLoader.Count;
            if (epoch == 0) firstEpochLoss = lastEpochLoss;
        }

        int correct = 0, total = 0;
        var predicted = new int[testLoader.BatchSize];
        using (net.NoGrad())
        {
            foreach (var (x, y) in testLoader)
            {
                total += y.Length;
                correct += net.Forward(x).ArgMax(predicted).CountEqual(y);
            }
        }
        double accuracy = 100.0 * correct / total;
        output.WriteLine($"loss {firstEpochLoss:F4} → {lastEpochLoss:F4}, test accuracy {accuracy:F1} %");
        Assert.True(lastEpochLoss < 0.5 * firstEpochLoss, $"loss only went from {firstEpochLoss} to {lastEpochLoss}");
        Assert.True(accuracy >= 93, $"test accuracy {accuracy:F1} %");
    }
}
