using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CompiledNets.Tests.Reference;

namespace CompiledNets.Generator.Tests.Numerics;

/// <summary>
/// A random MLP: Linear layers of drawn widths, each followed by a drawn activation or none, declared as a user would
/// declare it, with a plain double-precision forward and backward written from PyTorch's definitions (sharing no code
/// with the generator or the runtime) to check the generated code against.
/// </summary>
internal sealed record RandomMlp(string Name, int[] Widths, string?[] Activations)
{
    // Widths a user might pick, weighted toward the edges of vectors (15, 16, 17 at 16 lanes; 7, 8, 9 at 8) and of tiles.
    private static readonly int[] EdgeWidths = [1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 15, 16, 17, 24, 25, 30, 31, 32, 33, 40, 47, 48, 49, 63, 64, 65];
    private static readonly int[] MidWidths = [80, 96, 100, 120, 127, 128, 129, 150, 160, 200, 250, 256, 300];
    private static readonly int[] WideWidths = [500, 513, 784, 1000, 1024];
    private static readonly string?[] ActivationNames = [null, "ReLU", "ReLU", "LeakyReLU", "Tanh", "Sigmoid", "GELU", "SiLU"];

    public int InputSize => Widths[0];

    public int OutputSize => Widths[^1];

    /// <summary>Weights and biases of every layer, in state_dict order.</summary>
    public int ParameterCount => Enumerable.Range(0, Widths.Length - 1).Sum(l => Widths[l] * Widths[l + 1] + Widths[l + 1]);

    /// <summary>Multiply-adds of the largest layer for one row.</summary>
    public long LargestLayer => Enumerable.Range(0, Widths.Length - 1).Max(l => (long)Widths[l] * Widths[l + 1]);

    /// <summary>Draws 1 to 4 Linear layers of at most about 600,000 weights in all.</summary>
    public static RandomMlp Draw(Random random, string name)
    {
        while (true)
        {
            int layers = random.Next(1, 5);
            int[] widths = new int[layers + 1];
            for (int i = 0; i <= layers; i++)
            {
                int pick = random.Next(10);
                widths[i] = pick < 5 ? EdgeWidths[random.Next(EdgeWidths.Length)]
                    : pick < 9 ? MidWidths[random.Next(MidWidths.Length)]
                    : WideWidths[random.Next(WideWidths.Length)];
            }
            // Half the networks end in an activation, which the generator accepts (with a warning).
            string?[] activations = Enumerable.Range(0, layers)
                .Select(l => l < layers - 1 || random.Next(2) == 0 ? ActivationNames[random.Next(ActivationNames.Length)] : null)
                .ToArray();
            var mlp = new RandomMlp(name, widths, activations);
            if (mlp.ParameterCount <= 600_000)
            {
                return mlp;
            }
        }
    }

    /// <summary>The declaration, attributes in layer order.</summary>
    public string Declaration()
    {
        var text = new StringBuilder();
        for (int l = 0; l < Widths.Length - 1; l++)
        {
            text.Append($"[Linear({Widths[l]}, {Widths[l + 1]})]");
            if (Activations[l] is { } activation)
            {
                text.Append($" [{activation}]");
            }
            text.Append('\n');
        }
        return text.Append($"public partial class {Name};\n").ToString();
    }

    public override string ToString() =>
        Name + ": " + string.Join(" → ", Widths.Select((w, i) => i < Activations.Length && Activations[i] is { } a ? $"{w} → {a}" : $"{w}"));

    /// <summary>
    /// Runs a batch forward and backward in double precision: returns the outputs, dLoss/dparameters for the given
    /// dLoss/doutputs (state_dict layout) and dLoss/dinputs, and which rows have a ReLU input so close to 0 (within
    /// float rounding of its sum) that float code may take the other side of the kink: their gradients are not
    /// defined closely enough to compare.
    /// </summary>
    public (double[] Outputs, double[] Gradients, double[] InputGradient, bool[] NearKink) Run(float[] parameters, float[] inputs, float[] outputGradient, int batch)
    {
        var nearKink = new bool[batch];
        int layers = Widths.Length - 1;
        // Each layer's input (after the previous activation) and pre-activation output.
        var inputsOf = new double[layers][];
        var linearOf = new double[layers][];
        double[] current = inputs.Select(x => (double)x).ToArray();
        int offset = 0;
        var offsets = new int[layers];
        for (int l = 0; l < layers; l++)
        {
            int n = Widths[l], m = Widths[l + 1];
            offsets[l] = offset;
            inputsOf[l] = current;
            var y = new double[batch * m];
            for (int r = 0; r < batch; r++)
            {
                for (int o = 0; o < m; o++)
                {
                    double sum = parameters[offset + n * m + o], magnitude = Math.Abs(sum);
                    for (int i = 0; i < n; i++)
                    {
                        double term = (double)parameters[offset + o * n + i] * current[r * n + i];
                        sum += term;
                        magnitude += Math.Abs(term);
                    }
                    y[r * m + o] = sum;
                    if (Activations[l] is "ReLU" or "LeakyReLU" && Math.Abs(sum) <= 1e-5 * magnitude)
                    {
                        nearKink[r] = true;
                    }
                }
            }
            linearOf[l] = y;
            current = y.Select(v => Activate(Activations[l], v)).ToArray();
            offset += n * m + m;
        }

        var gradients = new double[ParameterCount];
        double[] upstream = outputGradient.Select(g => (double)g).ToArray();
        for (int l = layers - 1; l >= 0; l--)
        {
            int n = Widths[l], m = Widths[l + 1];
            double[] dy = new double[batch * m];
            for (int k = 0; k < dy.Length; k++)
            {
                dy[k] = upstream[k] * Derivative(Activations[l], linearOf[l][k]);
            }
            double[] x = inputsOf[l];
            var dx = new double[batch * n];
            for (int r = 0; r < batch; r++)
            {
                for (int o = 0; o < m; o++)
                {
                    double g = dy[r * m + o];
                    gradients[offsets[l] + n * m + o] += g;
                    for (int i = 0; i < n; i++)
                    {
                        gradients[offsets[l] + o * n + i] += g * x[r * n + i];
                        dx[r * n + i] += g * parameters[offsets[l] + o * n + i];
                    }
                }
            }
            upstream = dx;
        }
        return (current, gradients, upstream, nearKink);
    }

    private static double Activate(string? kind, double x) => kind switch
    {
        null => x,
        "ReLU" => x > 0 ? x : 0,
        "LeakyReLU" => x > 0 ? x : 0.01 * x,
        "Tanh" => Math.Tanh(x),
        "Sigmoid" => 1 / (1 + Math.Exp(-x)),
        "GELU" => 0.5 * x * (1 + ReferenceNetwork.Erf(x / Math.Sqrt(2))),
        "SiLU" => x / (1 + Math.Exp(-x)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "an activation this test knows"),
    };

    private static double Derivative(string? kind, double x)
    {
        switch (kind)
        {
            case null: return 1;
            case "ReLU": return x > 0 ? 1 : 0;
            case "LeakyReLU": return x > 0 ? 1 : 0.01;
            case "Tanh": { double t = Math.Tanh(x); return 1 - t * t; }
            case "Sigmoid": { double s = 1 / (1 + Math.Exp(-x)); return s * (1 - s); }
            case "GELU":
            {
                double cdf = 0.5 * (1 + ReferenceNetwork.Erf(x / Math.Sqrt(2)));
                return cdf + x * Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);
            }
            case "SiLU": { double s = 1 / (1 + Math.Exp(-x)); return s * (1 + x * (1 - s)); }
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "an activation this test knows");
        }
    }
}
