using System.Collections.Generic;
using System.Threading;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Parser
    {
        /// <summary>
        /// <c>[BatchNorm1d(numFeatures, eps, momentum)]</c> after features or a sequence, <c>[BatchNorm2d(...)]</c> after an image:
        /// numFeatures equal to the features or channels that arrive, eps finite and above 0, momentum in [0, 1].
        /// The shape passes through unchanged.
        /// </summary>
        private static LayerSpec ParseBatchNorm(int index, LayerAttribute layer, Chain chain, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            var arguments = layer.Data.ConstructorArguments;
            int numFeatures = (int)arguments[0].Value!;
            float eps = arguments.Length > 1 && arguments[1].Value is float givenEps ? givenEps : 1e-5f;
            float momentum = arguments.Length > 2 && arguments[2].Value is float givenMomentum ? givenMomentum : 0.1f;
            bool isImage = layer.Kind == LayerKind.BatchNorm2d;
            string name = isImage ? "BatchNorm2d" : "BatchNorm1d";
            string Attribute(int features) => eps == 1e-5f && momentum == 0.1f ? $"{name}({features})"
                : momentum == 0.1f ? $"{name}({features}, {FormatFloat(eps)}f)"
                : $"{name}({features}, {FormatFloat(eps)}f, {FormatFloat(momentum)}f)";
            string attribute = Attribute(numFeatures);
            string module = $"{name}({numFeatures}, eps={PythonFloat(eps)}, momentum={PythonFloat(momentum)})";

            bool valid = CheckAtLeast(attribute, layer, diagnostics, cancellationToken, ("numFeatures", numFeatures, 1));
            if (!(eps > 0f && !float.IsInfinity(eps)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidWindowArgument, LocationOf(layer, cancellationToken),
                    attribute, "eps", "finite and above 0", FormatFloat(eps)));
                valid = false;
            }
            if (!(momentum >= 0f && momentum <= 1f))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidWindowArgument, LocationOf(layer, cancellationToken),
                    attribute, "momentum", "in [0, 1]", FormatFloat(momentum)));
                valid = false;
            }
            chain.AtStart = false;

            // What arrives: channels and the values of each channel per sample, when its shape suits this kind.
            (int Channels, int PerChannel, string Text)? input = null;
            if (chain.Shape is { } shape)
            {
                if (isImage == !shape.IsSequence)
                {
                    input = (shape.Channels, shape.PerChannel, shape.ToString());
                }
                else
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongSampleShape, LocationOf(layer, cancellationToken), attribute,
                        isImage ? "[channels, height, width] images" : "features or [channels, length] sequences", shape.ToString(),
                        isImage ? "BatchNorm1d" : "BatchNorm2d", $"({shape.Channels})"));
                }
            }
            else if (chain.Width > 0)
            {
                if (!isImage)
                {
                    input = (chain.Width, 1, $"{chain.Width} features");
                }
                else
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongSampleShape, LocationOf(layer, cancellationToken), attribute,
                        "[channels, height, width] images", $"{chain.Width} features", "BatchNorm1d", $"({chain.Width})"));
                }
            }
            if (valid && input is { } arriving && arriving.Channels != numFeatures)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BatchNormSizeMismatch, LocationOf(layer, cancellationToken),
                    attribute, numFeatures, arriving.Channels, arriving.Text, Attribute(arriving.Channels)));
            }
            if (!valid || input is null)
            {
                chain.Unknown();
                return new BatchNormSpec(index, module, isImage, 0, 0, null, "", "", 0, 0, 0);
            }

            // The layers after it see what arrived (its channels, whatever numFeatures says), so they are still checked.
            int channels = input.Value.Channels, perChannel = input.Value.PerChannel;
            int weightOffset = chain.Take(2L * channels, layer);
            int meanOffset = chain.StatisticFloats;
            chain.StatisticFloats += 2 * channels;
            int counterOffset = chain.StatisticIntegers++;
            return new BatchNormSpec(index, module, isImage, channels, perChannel, chain.Shape, FormatFloat(eps) + "f", FormatFloat(momentum) + "f",
                weightOffset, meanOffset, counterOffset);
        }

        /// <summary>A float as Python's repr prints it (PyTorch's module text): <c>1e-05</c>, <c>0.1</c>.</summary>
        private static string PythonFloat(float value)
        {
            // The float's shortest text (what users typed), with Python's exponent form.
            string text = FormatFloat(value);
            int e = text.IndexOf('E');
            if (e < 0)
            {
                return text.Contains(".") ? text : text + ".0";
            }
            string mantissa = text.Substring(0, e), exponent = text.Substring(e + 1);
            string sign = exponent.StartsWith("-") ? "-" : "+";
            string digits = exponent.TrimStart('+', '-').TrimStart('0');
            return $"{mantissa}e{sign}{digits.PadLeft(2, '0')}";
        }
    }
}
