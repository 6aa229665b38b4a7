using System.Collections.Generic;
using System.Threading;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Parser
    {
        private static bool IsSpatial(LayerKind kind) =>
            kind is LayerKind.Conv2d or LayerKind.MaxPool2d or LayerKind.AvgPool2d or LayerKind.Conv1d or LayerKind.MaxPool1d or LayerKind.AvgPool1d;

        /// <summary>Whether a convolution or pooling kind works on sequences (1-D).</summary>
        private static bool IsSequenceKind(LayerKind kind) => kind is LayerKind.Conv1d or LayerKind.MaxPool1d or LayerKind.AvgPool1d;

        /// <summary>
        /// <c>[Input(channels, height, width)]</c> or <c>[Input(channels, length)]</c>: every side at least 1; the chain starts
        /// from that shape.
        /// </summary>
        private static void ParseInput(LayerAttribute layer, Chain chain, bool first, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            var arguments = layer.Data.ConstructorArguments;
            bool isSequence = arguments.Length == 2;
            int channels = (int)arguments[0].Value!, height = isSequence ? 1 : (int)arguments[1].Value!, width = (int)arguments[arguments.Length - 1].Value!;
            string module = isSequence ? $"Input({channels}, {width})" : $"Input({channels}, {height}, {width})";
            bool valid = isSequence
                ? CheckAtLeast(module, layer, diagnostics, cancellationToken, ("channels", channels, 1), ("length", width, 1))
                : CheckAtLeast(module, layer, diagnostics, cancellationToken, ("channels", channels, 1), ("height", height, 1), ("width", width, 1));
            if (!first)
            {
                // A misplaced Input (CN0027) is ignored: the first one still states the shape.
                return;
            }
            chain.AtStart = false;
            if (valid && (long)channels * height * width > MaxSampleFloats)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidWindowArgument, LocationOf(layer, cancellationToken),
                    module, isSequence ? "channels × length" : "channels × height × width", $"at most {MaxSampleFloats}", (long)channels * height * width));
                valid = false;
            }
            if (!valid)
            {
                chain.Unknown();
                return;
            }
            chain.Shape = new ShapeSpec(channels, height, width, isSequence);
            chain.Width = chain.Shape.Count;
        }

        /// <summary>
        /// <c>[Conv2d(inChannels, outChannels, kernelSize, stride, padding)]</c> or <c>[Conv1d(...)]</c>: sizes at least 1 (padding
        /// at least 0), an image-shaped (sequence-shaped) input whose channels are inChannels, and an output of at least 1 × 1 (1).
        /// </summary>
        private static LayerSpec ParseConv(int index, LayerAttribute layer, Chain chain, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            var arguments = layer.Data.ConstructorArguments;
            int inChannels = (int)arguments[0].Value!, outChannels = (int)arguments[1].Value!, kernel = (int)arguments[2].Value!;
            int stride = (int)arguments[3].Value!, padding = (int)arguments[4].Value!;
            string name = layer.Kind == LayerKind.Conv1d ? "Conv1d" : "Conv2d";
            string attribute = ConvolutionAttribute(name, inChannels, outChannels, kernel, stride, padding);
            string module = $"{name}({inChannels}, {outChannels}, kernel_size={kernel}, stride={stride}, padding={padding})";
            bool valid = CheckAtLeast(attribute, layer, diagnostics, cancellationToken,
                ("inChannels", inChannels, 1), ("outChannels", outChannels, 1), ("kernelSize", kernel, 1), ("stride", stride, 1), ("padding", padding, 0));
            ShapeSpec? input = valid ? SpatialInput(attribute, layer, chain, diagnostics, cancellationToken) : null;
            if (input is not null && input.Channels != inChannels)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConvolutionChannelMismatch, LocationOf(layer, cancellationToken),
                    attribute, inChannels, input.Channels, input.ToString(), ConvolutionAttribute(name, input.Channels, outChannels, kernel, stride, padding)));
            }
            // The output's shape does not depend on the channels in: after a mismatch the layers after it are still checked.
            ShapeSpec? output = input is null ? null : Window(attribute, layer, input, outChannels, kernel, stride, padding, diagnostics, cancellationToken);
            input = input is null ? null : input with { Channels = inChannels };
            chain.AtStart = false;
            if (input is null || output is null)
            {
                chain.Unknown();
                return new ConvSpec(index, module, new ShapeSpec(0, 0, 0), new ShapeSpec(0, 0, 0), 0, 0, 0, 0, 0);
            }
            long weights = (long)outChannels * inChannels * (input.IsSequence ? 1 : kernel) * kernel;
            int weightOffset = chain.Take(weights + outChannels, layer);
            int biasOffset = (int)System.Math.Min(weightOffset + weights, int.MaxValue);
            chain.Shape = output;
            chain.Width = output.Count;
            return new ConvSpec(index, module, input, output, kernel, stride, padding, weightOffset, biasOffset);
        }

        /// <summary>
        /// <c>[MaxPool2d(kernelSize, stride)]</c>, <c>[AvgPool2d(...)]</c>, <c>[MaxPool1d(...)]</c> or <c>[AvgPool1d(...)]</c>: kernel at
        /// least 1, stride at least 0 (0: the kernel).
        /// </summary>
        private static LayerSpec ParsePool(int index, LayerAttribute layer, Chain chain, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            var arguments = layer.Data.ConstructorArguments;
            int kernel = (int)arguments[0].Value!, givenStride = (int)arguments[1].Value!;
            bool isMax = layer.Kind is LayerKind.MaxPool2d or LayerKind.MaxPool1d;
            string name = layer.Kind.ToString();
            string attribute = givenStride == 0 ? $"{name}({kernel})" : $"{name}({kernel}, {givenStride})";
            int stride = givenStride == 0 ? kernel : givenStride;
            string module = $"{name}(kernel_size={kernel}, stride={stride})";
            bool valid = CheckAtLeast(attribute, layer, diagnostics, cancellationToken, ("kernelSize", kernel, 1), ("stride", givenStride, 0));
            ShapeSpec? input = valid ? SpatialInput(attribute, layer, chain, diagnostics, cancellationToken) : null;
            ShapeSpec? output = input is null ? null : Window(attribute, layer, input, input.Channels, kernel, stride, 0, diagnostics, cancellationToken);
            chain.AtStart = false;
            if (input is null || output is null)
            {
                chain.Unknown();
                return new PoolSpec(index, module, isMax, new ShapeSpec(0, 0, 0), new ShapeSpec(0, 0, 0), 0, 0);
            }
            chain.Shape = output;
            chain.Width = output.Count;
            return new PoolSpec(index, module, isMax, input, output, kernel, stride);
        }

        /// <summary><c>[Flatten]</c>: the shape becomes its count of features (features stay as they are).</summary>
        private static LayerSpec ParseFlatten(int index, Chain chain)
        {
            ShapeSpec shape = chain.Shape ?? new ShapeSpec(chain.Width, 1, 1);
            chain.AtStart = false;
            chain.Flattened = chain.Shape;
            chain.Shape = null;
            return new FlattenSpec(index, shape);
        }

        /// <summary>
        /// The input of a spatial layer: an image (a sequence, for the 1-D kinds), or null with CN0022 when the layer before
        /// produces features, or CN0029 when it produces the other kind of shape.
        /// </summary>
        private static ShapeSpec? SpatialInput(string attribute, LayerAttribute layer, Chain chain, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            bool sequence = IsSequenceKind(layer.Kind);
            string wanted = sequence ? "[channels, length]" : "[channels, height, width]";
            if (chain.Shape is { } shape)
            {
                if (shape.IsSequence == sequence)
                {
                    return shape;
                }
                string other = layer.Kind.ToString().Replace(sequence ? "1d" : "2d", sequence ? "2d" : "1d");
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongSampleShape, LocationOf(layer, cancellationToken), attribute,
                    sequence ? "[channels, length] sequences" : "[channels, height, width] images", shape.ToString(),
                    other, $", or declare [Input({(sequence ? "channels, length" : "channels, height, width")})]"));
                return null;
            }
            if (chain.Width > 0 || chain.AtStart)
            {
                string why = chain.AtStart ? $"no [Input({wanted.Trim('[', ']')})] declares the sample shape" : $"the layer before produces {chain.Width} features";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SpatialLayerWithoutShape, LocationOf(layer, cancellationToken),
                    attribute, why, wanted, wanted.Trim('[', ']')));
            }
            return null;
        }

        /// <summary>The output shape of a window over <paramref name="input"/>, or null (with CN0025) when it would be empty.</summary>
        private static ShapeSpec? Window(
            string attribute, LayerAttribute layer, ShapeSpec input, int channels, int kernel, int stride, int padding, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            long Side(int side) => side + 2L * padding < kernel ? 0 : (side + 2L * padding - kernel) / stride + 1;
            // A sequence is one row: the window runs along it only.
            long height = input.IsSequence ? 1 : Side(input.Height), width = Side(input.Width);
            if (height < 1 || width < 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WindowDoesNotFit, LocationOf(layer, cancellationToken),
                    attribute, input.ToString(), kernel, padding, input.IsSequence ? $"{width}" : $"{height} × {width}"));
                return null;
            }
            if ((long)channels * height * width > MaxSampleFloats)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidWindowArgument, LocationOf(layer, cancellationToken),
                    attribute, "its output's channels × height × width", $"at most {MaxSampleFloats}", (long)channels * height * width));
                return null;
            }
            return new ShapeSpec(channels, (int)height, (int)width, input.IsSequence);
        }

        /// <summary>The most floats one sample may hold at any layer, so every size and offset fits an int with room for a batch.</summary>
        private const int MaxSampleFloats = 1 << 24;

        /// <summary>Reports CN0026 for every argument below its least value; true when all are fine.</summary>
        private static bool CheckAtLeast(string attribute, LayerAttribute layer, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken, params (string Name, int Value, int Least)[] arguments)
        {
            bool valid = true;
            foreach (var (name, value, least) in arguments)
            {
                if (value < least)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidWindowArgument, LocationOf(layer, cancellationToken),
                        attribute, name, $"at least {least}", value));
                    valid = false;
                }
            }
            return valid;
        }

        /// <summary>A Conv2d or Conv1d attribute as a user writes it, defaults left out.</summary>
        private static string ConvolutionAttribute(string name, int inChannels, int outChannels, int kernel, int stride, int padding) =>
            padding != 0 ? $"{name}({inChannels}, {outChannels}, {kernel}, {stride}, {padding})"
            : stride != 1 ? $"{name}({inChannels}, {outChannels}, {kernel}, {stride})"
            : $"{name}({inChannels}, {outChannels}, {kernel})";
    }
}
