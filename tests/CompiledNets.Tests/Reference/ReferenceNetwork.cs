using System;
using System.Collections.Generic;

namespace CompiledNets.Tests.Reference;

/// <summary>One layer of the reference network: a Linear with sizes, or an activation.</summary>
public sealed record RefLayer(string Kind, int InFeatures = 0, int OutFeatures = 0, double NegativeSlope = 0.01)
{
    public static RefLayer Linear(int inFeatures, int outFeatures) => new("Linear", inFeatures, outFeatures);
    public static readonly RefLayer ReLU = new("ReLU");
    public static readonly RefLayer Sigmoid = new("Sigmoid");
    public static readonly RefLayer Tanh = new("Tanh");
    public static RefLayer LeakyReLU(double slope = 0.01) => new("LeakyReLU", NegativeSlope: slope);
}

/// <summary>
/// A deliberately plain, double-precision implementation of an nn.Sequential MLP and cross-entropy,
/// written from the PyTorch definitions and sharing no code with the generator or the runtime. The
/// tests compare the generated float code against it.
/// </summary>
public sealed class ReferenceNetwork
{
    private readonly IReadOnlyList<RefLayer> _layers;

    public ReferenceNetwork(params RefLayer[] layers) => _layers = layers;

    public int InputSize => _layers[0].InFeatures;

    public int ParameterCount
    {
        get
        {
            int count = 0;
            foreach (RefLayer layer in _layers)
            {
                if (layer.Kind == "Linear") count += layer.InFeatures * layer.OutFeatures + layer.OutFeatures;
            }
            return count;
        }
    }

    /// <summary>Logits for a batch, parameters laid out as PyTorch's state_dict flattened in order.</summary>
    public double[] Forward(double[] parameters, double[] inputs, int batch)
    {
        double[] current = inputs;
        int width = InputSize;
        int offset = 0;
        foreach (RefLayer layer in _layers)
        {
            if (layer.Kind == "Linear")
            {
                int n = layer.InFeatures, m = layer.OutFeatures;
                var next = new double[batch * m];
                int weight = offset, bias = offset + n * m;
                for (int b = 0; b < batch; b++)
                {
                    for (int o = 0; o < m; o++)
                    {
                        double sum = parameters[bias + o];
                        for (int i = 0; i < n; i++)
                        {
                            sum += parameters[weight + o * n + i] * current[b * n + i];
                        }
                        next[b * m + o] = sum;
                    }
                }
                offset += n * m + m;
                current = next;
                width = m;
            }
            else
            {
                var next = new double[current.Length];
                for (int i = 0; i < current.Length; i++)
                {
                    double x = current[i];
                    next[i] = layer.Kind switch
                    {
                        "ReLU" => x > 0 ? x : 0,
                        "LeakyReLU" => x > 0 ? x : layer.NegativeSlope * x,
                        "Sigmoid" => 1 / (1 + Math.Exp(-x)),
                        "Tanh" => Math.Tanh(x),
                        _ => throw new InvalidOperationException(layer.Kind),
                    };
                }
                current = next;
            }
        }
        _ = width;
        return current;
    }

    /// <summary>Mean cross-entropy, straight from the definition −log(e^z_y / Σ e^z), in double.</summary>
    public static double CrossEntropy(double[] logits, int[] labels, int classes)
    {
        double total = 0;
        for (int b = 0; b < labels.Length; b++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < classes; c++) max = Math.Max(max, logits[b * classes + c]);
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.Exp(logits[b * classes + c] - max);
            total += -(logits[b * classes + labels[b]] - max - Math.Log(sum));
        }
        return total / labels.Length;
    }

    /// <summary>dLoss/dParameter[index] by central differences of the double loss.</summary>
    public double NumericGradient(double[] parameters, int index, double[] inputs, int[] labels, int classes, double step = 1e-6)
    {
        double saved = parameters[index];
        parameters[index] = saved + step;
        double plus = CrossEntropy(Forward(parameters, inputs, labels.Length), labels, classes);
        parameters[index] = saved - step;
        double minus = CrossEntropy(Forward(parameters, inputs, labels.Length), labels, classes);
        parameters[index] = saved;
        return (plus - minus) / (2 * step);
    }
}
