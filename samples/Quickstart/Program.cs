using System;
using CompiledNets;
using Quickstart;

// The synthetic task of the original program: 10 features, 2 classes, 10,000 samples split 80/20.
var (trainInputs, trainLabels, testInputs, testLabels) = SyntheticData.Create(samples: 10_000, features: 10, trainFraction: 0.8, seed: 42);
var trainLoader = new DataLoader(trainInputs, trainLabels, batchSize: 32, shuffle: true, seed: 1);
var testLoader = new DataLoader(testInputs, testLabels, batchSize: 32);

var net = new Net(seed: 0);
var criterion = new CrossEntropyLoss();
var optimizer = new Sgd(net, lr: 0.01f, momentum: 0.9f);

for (int epoch = 0; epoch < 100; epoch++)
{
    float runningLoss = 0f;
    foreach (var (inputs, labels) in trainLoader)
    {
        optimizer.ZeroGrad();
        var outputs = net.Forward(inputs);
        var loss = criterion.Forward(outputs, labels);
        loss.Backward();
        optimizer.Step();
        runningLoss += loss.Item();
    }
    Console.WriteLine($"Epoch [{epoch + 1}], Loss: {runningLoss / trainLoader.Count:F4}");
}

int correct = 0, total = 0;
int[] predictedBuffer = new int[testLoader.LargestBatch];
using (net.NoGrad())
{
    foreach (var (inputs, labels) in testLoader)
    {
        var outputs = net.Forward(inputs);
        var predicted = outputs.ArgMax(predictedBuffer);
        total += labels.Length;
        correct += predicted.CountEqual(labels);
    }
}
Console.WriteLine($"Accuracy of the network on the {total} test samples: {100 * correct / total} %");
