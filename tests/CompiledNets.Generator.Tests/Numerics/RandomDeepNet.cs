using System;
using System.Linq;
using System.Text;

namespace CompiledNets.Generator.Tests.Numerics;

/// <summary>
/// A random network of the layers <see cref="RandomMlp"/> leaves out, declared as a user would declare it: mostly
/// convolutional (an image or a sequence of drawn size and channels, one to three blocks of a convolution of drawn kernel,
/// stride and padding, perhaps batch norm, perhaps an activation, perhaps a pooling, then Flatten and one or two Linear
/// layers), else Linear layers each followed by batch norm.
/// </summary>
internal sealed record RandomDeepNet(string Name, string Declaration, int InputSize, int OutputSize)
{
    private static readonly string?[] ActivationNames = [null, "ReLU", "ReLU", "LeakyReLU", "Tanh"];

    public static RandomDeepNet Draw(Random random, string name)
    {
        if (random.Next(4) == 0)
        {
            return DrawNormalizedMlp(random, name);
        }
        bool image = random.Next(10) < 7;
        int channels = Pick(random, 1, 1, 2, 3, 4, 5, 8);
        int height = image ? random.Next(4, 21) : 1;
        int width = image ? random.Next(4, 21) : random.Next(6, 101);
        int inputSize = channels * height * width;
        string d = image ? "2d" : "1d";
        var text = new StringBuilder(image ? $"[Input({channels}, {height}, {width})]\n" : $"[Input({channels}, {width})]\n");

        int blocks = random.Next(1, 4);
        for (int b = 0; b < blocks && width >= 2 && height >= (image ? 2 : 1); b++)
        {
            int kernel = Pick(random, 1, 2, 3, 3, 3, 5);
            int stride = Pick(random, 1, 1, 1, 2, 3);
            int padding = random.Next(0, kernel / 2 + 1);
            if (kernel > width + 2 * padding || (image && kernel > height + 2 * padding))
            {
                continue;
            }
            int outChannels = Pick(random, 1, 2, 3, 5, 6, 8, 13, 16, 17, 32);
            text.Append($"[Conv{d}({channels}, {outChannels}, {kernel}, stride: {stride}, padding: {padding})]");
            channels = outChannels;
            width = (width + 2 * padding - kernel) / stride + 1;
            if (image) height = (height + 2 * padding - kernel) / stride + 1;
            if (random.Next(10) < 3)
            {
                text.Append($" [BatchNorm{d}({channels})]");
            }
            if (ActivationNames[random.Next(ActivationNames.Length)] is { } activation)
            {
                text.Append($" [{activation}]");
            }
            int pool = Pick(random, 2, 2, 3);
            if (random.Next(10) < 4 && width >= pool && (!image || height >= pool))
            {
                text.Append(random.Next(2) == 0 ? $" [MaxPool{d}({pool})]" : $" [AvgPool{d}({pool})]");
                width = (width - pool) / pool + 1;
                if (image) height = (height - pool) / pool + 1;
            }
            text.Append('\n');
        }

        int features = channels * height * width;
        int outputs = random.Next(1, 21);
        text.Append("[Flatten]\n");
        if (random.Next(2) == 0)
        {
            int hidden = Pick(random, 7, 16, 20, 33, 64);
            text.Append($"[Linear({features}, {hidden})] [ReLU]\n[Linear({hidden}, {outputs})]\n");
        }
        else
        {
            text.Append($"[Linear({features}, {outputs})]\n");
        }
        text.Append($"public partial class {name};\n");
        return new RandomDeepNet(name, text.ToString(), inputSize, outputs);
    }

    /// <summary>Two or three Linear layers, each but the last followed by BatchNorm1d and perhaps an activation.</summary>
    private static RandomDeepNet DrawNormalizedMlp(Random random, string name)
    {
        int layers = random.Next(2, 4);
        int[] widths = [.. Enumerable.Range(0, layers + 1).Select(_ => Pick(random, 3, 8, 15, 16, 17, 30, 33, 64, 100, 129))];
        var text = new StringBuilder();
        for (int l = 0; l < layers; l++)
        {
            text.Append($"[Linear({widths[l]}, {widths[l + 1]})]");
            if (l < layers - 1)
            {
                text.Append($" [BatchNorm1d({widths[l + 1]})]");
                if (ActivationNames[random.Next(ActivationNames.Length)] is { } activation) text.Append($" [{activation}]");
            }
            text.Append('\n');
        }
        text.Append($"public partial class {name};\n");
        return new RandomDeepNet(name, text.ToString(), widths[0], widths[^1]);
    }

    private static int Pick(Random random, params int[] values) => values[random.Next(values.Length)];

    public override string ToString() => Declaration.Replace("\n", " ");
}
