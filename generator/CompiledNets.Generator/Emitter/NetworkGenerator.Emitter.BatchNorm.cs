using System.Collections.Generic;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        /// <summary>
        /// Batch normalization, per channel: the batch's statistics while training (and the running ones updated), the running
        /// statistics in evaluation and for one sample. Channels are independent, so they are split over threads.
        /// </summary>
        private sealed class BatchNormEmitter : LayerEmitter
        {
            private readonly BatchNormSpec _norm;

            public BatchNormEmitter(BatchNormSpec norm)
                : base(norm) => _norm = norm;

            private string Name => $"BatchNorm{_norm.Index}";

            private int Channels => _norm.Channels;

            private int PerChannel => _norm.PerChannel;

            private int Count => _norm.InFeatures;

            private string Eps => _norm.Eps;

            private string Momentum => _norm.Momentum;

            /// <summary>The shape as the comments write it: <c>[B, C]</c>, <c>[B, C, L]</c> or <c>[B, C, H, W]</c>.</summary>
            private string Shape => _norm.Shape is { } shape ? Batched(shape) : $"[B, {Channels}]";

            /// <summary>What one channel's values of a sample are, for the comments.</summary>
            private string Over => _norm.Shape is { IsSequence: true } ? "the batch and the length" : _norm.Shape is null ? "the batch" : "the batch, the height and the width";

            public override string LayerInfo =>
                $"LayerInfo.BatchNorm(LayerKind.{(_norm.IsImage ? "BatchNorm2d" : "BatchNorm1d")}, {Channels}, {Eps}, {Momentum})";

            public override string OneSampleFormula => "y = (x − running_mean) / √(running_var + eps) · weight + bias (one sample is inference)";

            public override string ForwardCall => $"{Name}Forward(batch);";

            public override string BackwardCall => $"{Name}Backward(batch);";

            public override IEnumerable<(string Name, string Call)> WorkItems
            {
                get
                {
                    // Every channel's statistics, outputs and gradients are its own: each thread takes whole channels.
                    yield return ($"Work{Name}Forward", $"{Name}ForwardChannels(batch, Part({Channels}, part, parts), Part({Channels}, part + 1, parts));");
                    yield return ($"Work{Name}Backward", $"{Name}BackwardChannels(batch, Part({Channels}, part, parts), Part({Channels}, part + 1, parts));");
                }
            }

            public override void EmitMethods(SourceWriter writer)
            {
                LayerBuffers buffers = _norm.Buffers;
                int i = _norm.Index;
                EmitBanner(writer);
                writer.Line($"// Forward: x {Shape} → y {Shape},  weight [{Channels}],  bias [{Channels}],  per channel c over {Over} (n = B · {PerChannel} values):");
                writer.Line($"//   y = (x − mean[c]) / √(var[c] + {Eps}) · weight[c] + bias[c]");
                writer.Line("//   training: mean and var of the batch (var biased, ÷ n), then running_mean = (1 − momentum) · running_mean + momentum · mean,");
                writer.Line($"//             running_var = (1 − momentum) · running_var + momentum · var · n / (n − 1), momentum = {Momentum}; num_batches_tracked += 1");
                writer.Line("//   evaluation: mean = running_mean, var = running_var");
                EmitOptimized(writer);
                writer.Open($"private void {Name}Forward(int batch)");
                writer.Open("if (Training)");
                writer.Line($"_integerBuffers[BatchesTracked{i}]++;");
                writer.Close();
                writer.Line($"Run(Work{Name}Forward, batch * {Count}L);");
                writer.Close();
                writer.Line();

                EmitOptimized(writer);
                writer.Open($"private void {Name}ForwardChannels(int batch, int cStart, int cEnd)");
                writer.Line($"ref float x = ref First({buffers.Input});");
                writer.Line($"ref float y = ref First({buffers.Output});");
                writer.Line($"ref float mean = ref First({_norm.MeanField});");
                writer.Line($"ref float invStd = ref First({_norm.InverseStdField});");
                writer.Line($"ref float runningMean = ref Unsafe.Add(ref First(_buffers), RunningMean{i});");
                writer.Line($"ref float runningVar = ref Unsafe.Add(ref First(_buffers), RunningVar{i});");
                writer.Open("for (int c = cStart; c < cEnd; c++)");
                writer.Open("if (Training)");
                writer.Line("// Two passes in double: the mean, then the mean square deviation from it (float sums here drift from PyTorch's answer:");
                writer.Line(PerChannel >= StatisticsRun
                    ? "// the statistics are divided by, and batch norm amplifies their rounding). Each sample's run through Statistics, in order."
                    : "// the statistics are divided by, and batch norm amplifies their rounding).");
                writer.Line($"double n = (double)batch * {PerChannel};");
                writer.Line("double sum = 0;");
                EmitSampleRuns(writer, $"sum += Statistics.Sum(ref values, {PerChannel});", "sum += Unsafe.Add(ref values, t);");
                writer.Line("double batchMean = sum / n;");
                writer.Line("double squares = 0;");
                EmitSampleRuns(writer, $"squares += Statistics.SquaredDeviations(ref values, {PerChannel}, batchMean);",
                    "double deviation = Unsafe.Add(ref values, t) - batchMean;", "squares += deviation * deviation;");
                writer.Line("Unsafe.Add(ref mean, c) = (float)batchMean;");
                writer.Line($"Unsafe.Add(ref invStd, c) = (float)(1.0 / Math.Sqrt(squares / n + {Eps}));");
                writer.Line($"Unsafe.Add(ref runningMean, c) = (1f - {Momentum}) * Unsafe.Add(ref runningMean, c) + {Momentum} * (float)batchMean;");
                writer.Line($"Unsafe.Add(ref runningVar, c) = (1f - {Momentum}) * Unsafe.Add(ref runningVar, c) + {Momentum} * (float)(squares / (n - 1));");
                writer.Close();
                writer.Open("else");
                writer.Line("Unsafe.Add(ref mean, c) = Unsafe.Add(ref runningMean, c);");
                writer.Line($"Unsafe.Add(ref invStd, c) = 1f / MathF.Sqrt(Unsafe.Add(ref runningVar, c) + {Eps});");
                writer.Close();
                writer.Line(_norm.FusesReLU
                    ? $"// y = x · scale + shift, with scale = weight · invStd and shift = bias − mean · scale; layer {i + 1}'s ReLU stores max(0, y) into its output."
                    : "// y = x · scale + shift, with scale = weight · invStd and shift = bias − mean · scale.");
                writer.Line($"float scale = Unsafe.Add(ref Parameter(Weight{i}), c) * Unsafe.Add(ref invStd, c);");
                writer.Line($"float shift = Unsafe.Add(ref Parameter(Bias{i}), c) - Unsafe.Add(ref mean, c) * scale;");
                writer.Line("V scales = V.Create(scale), shifts = V.Create(shift);");
                EmitChannelRuns(writer, ["values = x", "outputs = y"],
                    vector: [_norm.FusesReLU
                        ? "V.Store(V.Max(V.MultiplyAdd(V.Load(ref values, t), scales, shifts), V.Zero), ref outputs, t);"
                        : "V.Store(V.MultiplyAdd(V.Load(ref values, t), scales, shifts), ref outputs, t);"],
                    scalar: [_norm.FusesReLU
                        ? "Unsafe.Add(ref outputs, t) = MathF.Max(Unsafe.Add(ref values, t) * scale + shift, 0f);"
                        : "Unsafe.Add(ref outputs, t) = Unsafe.Add(ref values, t) * scale + shift;"]);
                writer.Close();
                writer.Close();
                writer.Line();

                EmitOptimized(writer);
                writer.Line("// One sample, in evaluation: the running statistics, with the same scale and shift as a batch in evaluation.");
                writer.Open($"private void {Name}Sample(ref float x, ref float y)");
                writer.Line($"ref float runningMean = ref Unsafe.Add(ref First(_buffers), RunningMean{i});");
                writer.Line($"ref float runningVar = ref Unsafe.Add(ref First(_buffers), RunningVar{i});");
                writer.Open($"for (int c = 0; c < {Channels}; c++)");
                writer.Line($"float invStd = 1f / MathF.Sqrt(Unsafe.Add(ref runningVar, c) + {Eps});");
                writer.Line($"float scale = Unsafe.Add(ref Parameter(Weight{i}), c) * invStd;");
                writer.Line($"float shift = Unsafe.Add(ref Parameter(Bias{i}), c) - Unsafe.Add(ref runningMean, c) * scale;");
                writer.Open($"for (int t = 0; t < {PerChannel}; t++)");
                writer.Line($"Unsafe.Add(ref y, c * {PerChannel} + t) = Unsafe.Add(ref x, c * {PerChannel} + t) * scale + shift;");
                writer.Close();
                writer.Close();
                writer.Close();
                writer.Line();

                writer.Line("// Backward: given dy and the kept x, with x̂ = (x − mean[c]) · invStd[c] as the forward normalized it,");
                writer.Line("//   dLoss/dweight[c] += Σ dy · x̂,   dLoss/dbias[c] += Σ dy   (sums over the channel's n values of the batch)");
                writer.Line("//   dLoss/dx = weight[c] · invStd[c] · (dy − Σ dy / n − x̂ · Σ dy · x̂ / n) after a training forward (the batch's statistics depend on x),");
                writer.Line("//   dLoss/dx = weight[c] · invStd[c] · dy after a forward in evaluation (the running statistics are constants)" +
                    (_norm.Buffers.InputGradientOnRequest ? "; dLoss/dinputs only when asked for" : ""));
                EmitOptimized(writer);
                writer.Line($"private void {Name}Backward(int batch) => Run(Work{Name}Backward, batch * {Count}L);");
                writer.Line();
                EmitOptimized(writer);
                writer.Open($"private void {Name}BackwardChannels(int batch, int cStart, int cEnd)");
                writer.Line($"ref float x = ref First({buffers.Input});");
                writer.Line($"ref float dy = ref First({buffers.OutputGradient});");
                writer.Line($"ref float dx = ref First({buffers.InputGradient});");
                writer.Open("for (int c = cStart; c < cEnd; c++)");
                writer.Line($"float m = Unsafe.Add(ref First({_norm.MeanField}), c), s = Unsafe.Add(ref First({_norm.InverseStdField}), c);");
                writer.Line("V mv = V.Create(m), sv = V.Create(s);");
                writer.Line("double sumDy = 0, sumDyXhat = 0;");
                EmitChannelRuns(writer, ["values = x", "gradients = dy"],
                    vector: ["V g = V.Load(ref gradients, t);", "partial += g;", "partialXhat = V.MultiplyAdd(g, (V.Load(ref values, t) - mv) * sv, partialXhat);"],
                    scalar: ["float g = Unsafe.Add(ref gradients, t);", "run += g;", "runXhat += g * ((Unsafe.Add(ref values, t) - m) * s);"],
                    total: "sumDy", totalXhat: "sumDyXhat");
                writer.Line($"Unsafe.Add(ref Gradient(Weight{i}), c) += (float)sumDyXhat;");
                writer.Line($"Unsafe.Add(ref Gradient(Bias{i}), c) += (float)sumDy;");
                EmitInputGradient(writer, () =>
                {
                    writer.Line($"float ws = Unsafe.Add(ref Parameter(Weight{i}), c) * s;");
                    writer.Line($"double n = (double)batch * {PerChannel};");
                    writer.Line("// After a forward in evaluation the statistics are constants: no mean terms.");
                    writer.Line("float meanDy = Training ? (float)(sumDy / n) : 0f, meanDyXhat = Training ? (float)(sumDyXhat / n) : 0f;");
                    writer.Line("V wsv = V.Create(ws), meanDyv = V.Create(meanDy), meanDyXhatv = V.Create(meanDyXhat);");
                    EmitChannelRuns(writer, ["values = x", "gradients = dy", "inputGradients = dx"],
                        vector: ["V xhat = (V.Load(ref values, t) - mv) * sv;",
                            "V.Store(wsv * (V.Load(ref gradients, t) - meanDyv - xhat * meanDyXhatv), ref inputGradients, t);"],
                        scalar: ["float xhat = (Unsafe.Add(ref values, t) - m) * s;",
                            "Unsafe.Add(ref inputGradients, t) = ws * (Unsafe.Add(ref gradients, t) - meanDy - xhat * meanDyXhat);"]);
                });
                writer.Close();
                writer.Close();
                writer.Line();
            }

            /// <summary>Runs of a channel's values at least this long are summed by Statistics in vectors; shorter ones (a BatchNorm1d's one value per sample) inline.</summary>
            private const int StatisticsRun = 16;

            /// <summary>
            /// A loop over the samples of the batch, <c>values</c> at channel c's run of x in each: one call of Statistics per run
            /// (<paramref name="call"/>), or for short runs a scalar loop over the run's values (<paramref name="scalar"/>, indexed by t).
            /// </summary>
            private void EmitSampleRuns(SourceWriter writer, string call, params string[] scalar)
            {
                writer.Open("for (int b = 0; b < batch; b++)");
                writer.Line($"ref float values = ref Unsafe.Add(ref x, b * {Count} + c * {PerChannel});");
                if (PerChannel >= StatisticsRun)
                {
                    writer.Line(call);
                }
                else
                {
                    writer.Open($"for (int t = 0; t < {PerChannel}; t++)");
                    foreach (string line in scalar)
                    {
                        writer.Line(line);
                    }
                    writer.Close();
                }
                writer.Close();
            }

            /// <summary>
            /// A loop over channel c's run of values in each sample of the batch: whole vectors from t = 0, then the scalar tail
            /// (all of it when a run is shorter than a vector). Each of <paramref name="views"/> (<c>"name = buffer"</c>) becomes a
            /// ref to the run, indexed by t. A sum (<paramref name="total"/>, and <paramref name="totalXhat"/> beside it) gathers
            /// each run in vector lanes (<c>partial</c>) and a float (<c>run</c>), and the runs in the double named.
            /// </summary>
            private void EmitChannelRuns(SourceWriter writer, string[] views, string[] vector, string[] scalar, string? total = null, string? totalXhat = null)
            {
                writer.Open("for (int b = 0; b < batch; b++)");
                foreach (string view in views)
                {
                    string[] parts = view.Split(new[] { " = " }, System.StringSplitOptions.None);
                    writer.Line($"ref float {parts[0]} = ref Unsafe.Add(ref {parts[1]}, b * {Count} + c * {PerChannel});");
                }
                if (total is not null)
                {
                    writer.Line(totalXhat is null ? "V partial = V.Zero;" : "V partial = V.Zero, partialXhat = V.Zero;");
                }
                writer.Line("int t = 0;");
                writer.Open($"for (; t <= {PerChannel} - V.Count; t += V.Count)");
                foreach (string line in vector)
                {
                    writer.Line(line);
                }
                writer.Close();
                if (total is not null)
                {
                    writer.Line(totalXhat is null ? "float run = V.Sum(partial);" : "float run = V.Sum(partial), runXhat = V.Sum(partialXhat);");
                }
                writer.Open($"for (; t < {PerChannel}; t++)");
                foreach (string line in scalar)
                {
                    writer.Line(line);
                }
                writer.Close();
                if (total is not null)
                {
                    writer.Line($"{total} += run;");
                }
                if (totalXhat is not null)
                {
                    writer.Line($"{totalXhat} += runXhat;");
                }
                writer.Close();
            }

            public override string[] EmitOneSampleInRegisters(SourceWriter writer, string[] inputs, bool last) =>
                throw new System.InvalidOperationException("A network with batch normalization never runs one sample in registers.");

            public override bool SampleReadsFields => true;

            public override void EmitOneSample(SourceWriter writer, SampleValues input, SampleValues output) =>
                writer.Line($"{Name}Sample(ref {input.First}, ref {output.First});");
        }
    }
}
