using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests;

/// <summary>The real Fashion-MNIST files, when installed (<c>apt-get install -y dataset-fashion-mnist</c>).</summary>
public sealed class FashionMnistTests(ITestOutputHelper output)
{
    [Fact]
    public void Reads_60000_training_and_10000_test_images_of_784_pixels()
    {
        string directory = Datasets.FashionMnistDirectory;
        if (!File.Exists(Path.Combine(directory, "train-images-idx3-ubyte.gz")) && !File.Exists(Path.Combine(directory, "train-images-idx3-ubyte")))
        {
            // xunit 2 has no dynamic skip: report and pass rather than fail on machines without the data.
            output.WriteLine($"Fashion-MNIST is not installed in {directory}; not checked. `apt-get install -y dataset-fashion-mnist` installs it.");
            return;
        }
        var (train, test) = Datasets.LoadFashionMnist(directory);
        Assert.Equal((60000, 784), (train.Count, train.FeatureCount));
        Assert.Equal((10000, 784), (test.Count, test.FeatureCount));
        Assert.Equal(10, train.ClassCount);
        Assert.Equal("Ankle boot", train.ClassNames[9]);
        // Both parts are balanced: 6,000 and 1,000 images per class.
        int[] trainPerClass = new int[10], testPerClass = new int[10];
        foreach (int label in train.Labels) trainPerClass[label]++;
        foreach (int label in test.Labels) testPerClass[label]++;
        Assert.All(trainPerClass, count => Assert.Equal(6000, count));
        Assert.All(testPerClass, count => Assert.Equal(1000, count));
        float max = 0;
        foreach (float pixel in train.Features) max = System.MathF.Max(max, pixel);
        Assert.Equal(255f, max);
        Assert.Equal(9, train.Labels[0]); // the first training image is an ankle boot
    }
}
