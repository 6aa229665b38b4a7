using System;
using System.Collections.Generic;

namespace CompiledNets.Tests.Reference;

/// <summary>
/// A deliberately plain, double-precision implementation of an nn.Sequential MLP and cross-entropy,
/// written from the PyTorch definitions and sharing no code with the generator or the runtime. It is built
/// from a network's <see cref="INetwork.Layers"/>, so every test network gets its reference without restating
/// its architecture; the tests compare the generated float code against it.
/// </summary>
public sealed class ReferenceNetwork
{
    private readonly IReadOnlyList<LayerInfo> _layers;

    public ReferenceNetwork(IReadOnlyList<LayerInfo> layers) => _layers = layers;

    /// <summary>The reference of the network's declared layers.</summary>
    public static ReferenceNetwork For(INetwork network) => new(network.Layers);

    public int InputSize => _layers[0].InFeatures;

    public int ParameterCount
    {
        get
        {
            int count = 0;
            foreach (LayerInfo layer in _layers)
            {
                if (layer.Kind == LayerKind.Linear) count += layer.InFeatures * layer.OutFeatures + layer.OutFeatures;
                if (layer.Kind is LayerKind.Conv2d or LayerKind.Conv1d && layer.Window is { } w) count += w.OutChannels * w.InChannels * Rows(w) * w.KernelSize + w.OutChannels;
                if (layer.Kind is LayerKind.BatchNorm1d or LayerKind.BatchNorm2d) count += 2 * layer.InFeatures;
            }
            return count;
        }
    }

    /// <summary>Logits for a batch, parameters laid out as PyTorch's state_dict flattened in order.</summary>
    public double[] Forward(double[] parameters, double[] inputs, int batch)
    {
        double[] current = inputs;
        int offset = 0;
        foreach (LayerInfo layer in _layers)
        {
            if (layer.Kind == LayerKind.Linear)
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
            }
            else if (layer.Kind is LayerKind.Conv2d or LayerKind.Conv1d)
            {
                current = Convolve(layer.Window!, parameters, ref offset, current, batch);
            }
            else if (layer.Kind is LayerKind.MaxPool2d or LayerKind.AvgPool2d or LayerKind.MaxPool1d or LayerKind.AvgPool1d)
            {
                current = Pool(layer.Window!, layer.Kind is LayerKind.MaxPool2d or LayerKind.MaxPool1d, current, batch);
            }
            else if (layer.Kind is LayerKind.BatchNorm1d or LayerKind.BatchNorm2d)
            {
                current = Normalize(layer, parameters, ref offset, current, batch);
            }
            else if (layer.Kind == LayerKind.Flatten)
            {
                // [C, H, W] row-major is already C·H·W features in PyTorch's order.
            }
            else
            {
                var next = new double[current.Length];
                for (int i = 0; i < current.Length; i++)
                {
                    next[i] = Activation(layer, current[i]);
                }
                current = next;
            }
        }
        return current;
    }

    /// <summary>Rows of a window: the kernel for an image, 1 for a sequence (one row).</summary>
    private static int Rows(WindowInfo w) => w.Dimensions == 1 ? 1 : w.KernelSize;

    /// <summary>nn.BatchNorm1d/2d in training mode from its definition: each channel by its batch mean and biased variance.</summary>
    private static double[] Normalize(LayerInfo layer, double[] parameters, ref int offset, double[] x, int batch)
    {
        int channels = layer.InFeatures, count = x.Length / batch, perChannel = count / channels;
        var y = new double[x.Length];
        for (int c = 0; c < channels; c++)
        {
            double sum = 0, squares = 0;
            for (int b = 0; b < batch; b++)
            for (int t = 0; t < perChannel; t++) sum += x[b * count + c * perChannel + t];
            double n = (double)batch * perChannel, mean = sum / n;
            for (int b = 0; b < batch; b++)
            for (int t = 0; t < perChannel; t++) squares += Math.Pow(x[b * count + c * perChannel + t] - mean, 2);
            double std = Math.Sqrt(squares / n + layer.Eps);
            for (int b = 0; b < batch; b++)
            for (int t = 0; t < perChannel; t++)
            {
                int at = b * count + c * perChannel + t;
                y[at] = (x[at] - mean) / std * parameters[offset + c] + parameters[offset + channels + c];
            }
        }
        offset += 2 * channels;
        return y;
    }

    /// <summary>nn.Conv2d (nn.Conv1d: one row) from its definition: every output a sum over the window, zero outside the input.</summary>
    private static double[] Convolve(WindowInfo w, double[] parameters, ref int offset, double[] x, int batch)
    {
        int rows = Rows(w), rowPadding = w.Dimensions == 1 ? 0 : w.Padding;
        int weights = w.OutChannels * w.InChannels * rows * w.KernelSize;
        int inCount = w.InChannels * w.InHeight * w.InWidth, outCount = w.OutChannels * w.OutHeight * w.OutWidth;
        var y = new double[batch * outCount];
        for (int b = 0; b < batch; b++)
        for (int o = 0; o < w.OutChannels; o++)
        for (int i = 0; i < w.OutHeight; i++)
        for (int j = 0; j < w.OutWidth; j++)
        {
            double sum = parameters[offset + weights + o];
            for (int c = 0; c < w.InChannels; c++)
            for (int u = 0; u < rows; u++)
            for (int v = 0; v < w.KernelSize; v++)
            {
                int row = i * w.Stride - rowPadding + u, column = j * w.Stride - w.Padding + v;
                if (row < 0 || row >= w.InHeight || column < 0 || column >= w.InWidth) continue;
                sum += parameters[offset + ((o * w.InChannels + c) * rows + u) * w.KernelSize + v]
                    * x[b * inCount + (c * w.InHeight + row) * w.InWidth + column];
            }
            y[b * outCount + (o * w.OutHeight + i) * w.OutWidth + j] = sum;
        }
        offset += weights + w.OutChannels;
        return y;
    }

    /// <summary>nn.MaxPool2d or nn.AvgPool2d from their definitions.</summary>
    private static double[] Pool(WindowInfo w, bool max, double[] x, int batch)
    {
        int inCount = w.InChannels * w.InHeight * w.InWidth, outCount = w.OutChannels * w.OutHeight * w.OutWidth;
        var y = new double[batch * outCount];
        for (int b = 0; b < batch; b++)
        for (int c = 0; c < w.InChannels; c++)
        for (int i = 0; i < w.OutHeight; i++)
        for (int j = 0; j < w.OutWidth; j++)
        {
            double result = max ? double.NegativeInfinity : 0;
            for (int u = 0; u < Rows(w); u++)
            for (int v = 0; v < w.KernelSize; v++)
            {
                double value = x[b * inCount + (c * w.InHeight + i * w.Stride + u) * w.InWidth + j * w.Stride + v];
                result = max ? Math.Max(result, value) : result + value;
            }
            y[b * outCount + (c * w.OutHeight + i) * w.OutWidth + j] = max ? result : result / (Rows(w) * w.KernelSize);
        }
        return y;
    }

    /// <summary>Each activation from its PyTorch definition.</summary>
    private static double Activation(LayerInfo layer, double x) => layer.Kind switch
    {
        LayerKind.ReLU => x > 0 ? x : 0,
        LayerKind.LeakyReLU => x > 0 ? x : layer.NegativeSlope * x,
        LayerKind.Sigmoid => 1 / (1 + Math.Exp(-x)),
        LayerKind.Tanh => Math.Tanh(x),
        LayerKind.GELU => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        LayerKind.SiLU => x / (1 + Math.Exp(-x)),
        _ => throw new InvalidOperationException($"The reference has no {layer.Kind}."),
    };

    /// <summary>
    /// The error function in double (.NET has none): its Maclaurin series below 2.5, where the terms stay small enough
    /// not to cancel, and the continued fraction of erfc above (Abramowitz and Stegun 7.1.5 and 7.1.14); both to ~1e-15.
    /// </summary>
    public static double Erf(double x)
    {
        double z = Math.Abs(x);
        double result;
        if (z < 2.5)
        {
            double term = z, sum = z;
            for (int n = 1; n < 100 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
            {
                term *= -z * z / n;
                sum += term / (2 * n + 1);
            }
            result = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            // erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + ...))))), evaluated from the tail.
            double fraction = z;
            for (int n = 60; n >= 1; n--)
            {
                fraction = z + n / 2.0 / fraction;
            }
            result = 1 - Math.Exp(-z * z) / Math.Sqrt(Math.PI) / fraction;
        }
        return x < 0 ? -result : result;
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
    /// <summary>dLoss/dinputs[index] by central differences of the cross-entropy loss, in double.</summary>
    public double NumericInputGradient(double[] parameters, int index, double[] inputs, int[] labels, int classes, double step = 1e-6) =>
        NumericGradient(inputs, index, () => CrossEntropy(Forward(parameters, inputs, labels.Length), labels, classes), step);

    private static double NumericGradient(double[] values, int index, Func<double> loss, double step)
    {
        double saved = values[index];
        values[index] = saved + step;
        double plus = loss();
        values[index] = saved - step;
        double minus = loss();
        values[index] = saved;
        return (plus - minus) / (2 * step);
    }

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
