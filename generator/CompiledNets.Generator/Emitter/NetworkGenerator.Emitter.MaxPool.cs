using System.Collections.Generic;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        /// <summary>
        /// Max pooling: each window's first maximum (PyTorch's: a larger value or a NaN moves it), kept by the batched forward
        /// as its place in the window, so backward sends dy there without searching again. Windows of stride 1 or 2 run a
        /// vector of them side by side, one output per lane.
        /// </summary>
        private sealed partial class PoolEmitter
        {
            /// <summary>Whether windows run side by side in vectors (<see cref="PoolSpec.WindowsInLanes"/>).</summary>
            private bool Lanes => _pool.WindowsInLanes;

            private void EmitMaxPool(SourceWriter writer)
            {
                LayerBuffers buffers = _pool.Buffers;
                writer.Line($"// A batch keeps where each maximum is in its window (u · {In.Width} + v) in {_pool.Maxima}, for backward.");
                EmitOptimized(writer);
                writer.Open($"private void {Name}Forward(int batch)");
                writer.Open("for (int b = 0; b < batch; b++)");
                writer.Line($"{Name}KeepingMaxima(ref Unsafe.Add(ref First({buffers.Input}), b * {In.Count}), ref Unsafe.Add(ref First({buffers.Output}), b * {Out.Count}),");
                writer.Line($"    ref Unsafe.Add(ref First({_pool.Maxima}), b * {Out.Count}));");
                writer.Close();
                writer.Close();
                writer.Line();

                writer.Line("// One sample of a batch: y, and where in its window each maximum is.");
                EmitOptimized(writer);
                writer.Open($"private static void {Name}KeepingMaxima(ref float x, ref float y, ref float maxima)");
                EmitMaxima(writer, keep: true);
                writer.Close();
                writer.Line();

                writer.Line("// One sample, for inference: y only, the same values.");
                EmitOptimized(writer);
                writer.Open($"private static void {Name}Sample(ref float x, ref float y)");
                EmitMaxima(writer, keep: false);
                writer.Close();
                writer.Line();

                if (Lanes)
                {
                    EmitLanes(writer);
                }
                EmitMaxBackward(writer);
            }

            /// <summary>The loops over a sample's windows: a vector of them at a time (the last partial) or one at a time.</summary>
            private void EmitMaxima(SourceWriter writer, bool keep)
            {
                if (Lanes)
                {
                    EmitWindowRows(writer, "x", count =>
                    {
                        writer.Line($"{Name}Lanes(ref Unsafe.Add(ref row, {Tap("j", "0", _pool.Stride, 0)}), {count}, out V top, out V best);");
                        writer.Line(StoreLanes("top", "y", "at + j", count));
                        if (keep)
                        {
                            writer.Line(StoreLanes("best", "maxima", "at + j", count));
                        }
                    });
                    return;
                }
                writer.Open($"for (int c = 0; c < {In.Channels}; c++)");
                bool rows = OpenRows(writer, "i", Out.Height, Sequence);
                writer.Open($"for (int j = 0; j < {Out.Width}; j++)");
                EmitMaximum(writer, keep);
                writer.Close();
                CloseIf(writer, rows);
                writer.Close();
            }

            /// <summary>
            /// The loops over a sample's rows of windows, a vector of windows at a time: <c>row</c> is where the row's first
            /// window starts in <paramref name="image"/> (x, or dx going back), <c>at</c> its first output, j the first
            /// window of the vector; <paramref name="step"/> writes a vector's body given its count of wanted lanes.
            /// </summary>
            private void EmitWindowRows(SourceWriter writer, string image, System.Action<string> step)
            {
                writer.Open($"for (int c = 0; c < {In.Channels}; c++)");
                bool rows = OpenRows(writer, "i", Out.Height, Sequence);
                writer.Line(Sequence
                    ? $"ref float row = ref Unsafe.Add(ref {image}, c * {In.Width});"
                    : $"ref float row = ref Unsafe.Add(ref {image}, (c * {In.Height} + {Tap("i", "0", _pool.Stride, 0)}) * {In.Width});");
                writer.Line(Sequence ? $"int at = c * {Out.Width};" : $"int at = (c * {Out.Height} + i) * {Out.Width};");
                EmitVectorRun(writer, "j", Out.Width, step);
                CloseIf(writer, rows);
                writer.Close();
            }

            /// <summary>
            /// The first maximum of V.Count windows side by side, window k starting stride · k floats after
            /// <c>window</c>: top its value, best its place (u · W + v), tap by tap in PyTorch's order and with its test.
            /// Only the first <c>count</c> windows are wanted (the row's last, partial vector).
            /// </summary>
            private void EmitLanes(SourceWriter writer)
            {
                int k = _pool.Kernel, s = _pool.Stride;
                writer.Line($"// {(Sequence ? $"Runs of {k}" : $"{k} × {k} windows")} side by side, one per lane (only the first count wanted): top is each one's first maximum, tap by tap");
                writer.Line($"// (a larger value or a NaN moves it, PyTorch's test, so a NaN found stays), best its place u · {In.Width} + v.");
                writer.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
                writer.Open($"private static void {Name}Lanes(ref float window, int count, out V top, out V best)");
                var values = new List<(string Name, int Offset)>();
                for (int u = 0; u < (Sequence ? 1 : k); u++)
                {
                    for (int v = 0; v < k; v += s)
                    {
                        int offset = u * In.Width + v;
                        string name = Sequence ? $"x{v}" : $"x{u}_{v}";
                        if (s == 1)
                        {
                            writer.Line($"V {name} = V.Load(ref window, {offset});");
                            values.Add((name, offset));
                            continue;
                        }
                        // Stride 2: the pairs give taps v and v + 1 of every window (none past the kernel).
                        string next = Sequence ? $"x{v + 1}" : $"x{u}_{v + 1}";
                        writer.Line(v + 1 < k
                            ? $"V.LoadPairs(ref window, {offset}, count, out V {name}, out V {next});"
                            : $"V.LoadPairs(ref window, {offset}, count, out V {name}, out _);");
                        values.Add((name, offset));
                        if (v + 1 < k)
                        {
                            values.Add((next, offset + 1));
                        }
                    }
                }
                writer.Line($"top = {values[0].Name};");
                writer.Line("best = V.Zero;");
                for (int tap = 1; tap < values.Count; tap++)
                {
                    (string name, int offset) = values[tap];
                    writer.Line($"best = V.SelectGreaterOrNaN({name}, top, V.Create({offset}f), best);");
                    writer.Line($"top = V.SelectGreaterOrNaN({name}, top, {name}, top);");
                }
                writer.Close();
                writer.Line();
            }

            /// <summary>
            /// One window at a time (strides above 2, or windows too large to write out): the first maximum, by the
            /// window's offset <c>best</c> (a NaN wins, as on PyTorch's CPU: <c>value &gt; top || isnan(value)</c>, so after a
            /// NaN only another NaN moves it), without branches: each tap moves <c>best</c> through a mask made of that test
            /// (a data-dependent branch there mispredicts half the time), and <c>top</c> by the same test, so it is the
            /// first maximum's own value, as the lanes' (of a −0 and +0 tie, the first); y takes it, and when
            /// <paramref name="keep"/> the maxima its place.
            /// </summary>
            private void EmitMaximum(SourceWriter writer, bool keep)
            {
                int k = _pool.Kernel;
                writer.Line($"ref float window = ref Unsafe.Add(ref x, {Offset("c", Tap("i", "0", _pool.Stride, 0), Tap("j", "0", _pool.Stride, 0), In)});");
                writer.Line(keep
                    ? "// The first maximum, tap by tap (a larger value or a NaN moves it, as PyTorch's): best is its offset in the window, top its value."
                    : "// The first maximum, tap by tap (a larger value or a NaN moves it, as PyTorch's).");
                if (keep)
                {
                    writer.Line("int best = 0;");
                }
                writer.Line("float top = window;");
                if (_pool.WindowSize <= PoolSpec.UnrolledTaps)
                {
                    for (int tap = 1; tap < _pool.WindowSize; tap++)
                    {
                        int u = Sequence ? 0 : tap / k, v = Sequence ? tap : tap % k;
                        string value = Sequence ? $"x{v}" : $"x{u}_{v}";
                        int offset = u * In.Width + v;
                        writer.Line($"float {value} = Unsafe.Add(ref window, {offset});");
                        if (keep)
                        {
                            writer.Line($"best += ({offset} - best) & -Unsafe.BitCast<bool, byte>({value} > top | float.IsNaN({value}));");
                        }
                        writer.Line($"top = {value} > top | float.IsNaN({value}) ? {value} : top;");
                    }
                }
                else
                {
                    bool windowRows = OpenRows(writer, "u", k, Sequence);
                    writer.Open($"for (int v = 0; v < {k}; v++)");
                    writer.Line($"int at = {(Sequence ? "v" : $"u * {In.Width} + v")};");
                    writer.Line("float value = Unsafe.Add(ref window, at);");
                    if (keep)
                    {
                        writer.Line("best += (at - best) & -Unsafe.BitCast<bool, byte>(value > top | float.IsNaN(value));");
                    }
                    writer.Line("top = value > top | float.IsNaN(value) ? value : top;");
                    writer.Close();
                    CloseIf(writer, windowRows);
                }
                writer.Line($"Unsafe.Add(ref y, {Offset("c", "i", "j", Out)}) = top;");
                if (keep)
                {
                    writer.Line($"Unsafe.Add(ref maxima, {Offset("c", "i", "j", Out)}) = best;");
                }
            }

            /// <summary>Whether windows are 2 wide with stride 2 and run in lanes: backward writes each of their rows as pairs.</summary>
            private bool PairedWindows => Lanes && _pool.Kernel == 2 && _pool.Stride == 2;

            /// <summary>
            /// 2 × 2 windows (runs of 2) of stride 2, a vector of them at a time: each window row's two floats are dy where the
            /// maximum is and 0 at the other tap, interleaved (<c>V.StorePairs</c>), so every input a window holds is written
            /// and nothing needs clearing first but the rows and columns no window holds.
            /// </summary>
            private void EmitPairedBackward(SourceWriter writer)
            {
                bool covered = In.Width == 2 * Out.Width && (Sequence || In.Height == 2 * Out.Height);
                if (!covered)
                {
                    writer.Line("// The last row or column lies in no window: its dLoss/dx is 0.");
                    writer.Line($"MemoryMarshal.CreateSpan(ref dx, {In.Count}).Clear();");
                }
                writer.Line("// A vector of windows at a time: each window row's two inputs get dy at the tap whose place the maxima hold (an integer");
                writer.Line("// as a float: |place − tap| < 0.5) and 0 at the other, interleaved back into the row, so every input a window holds is written.");
                writer.Line("V half = V.Create(0.5f);");
                EmitWindowRows(writer, "dx", count =>
                {
                    writer.Line("V g = V.Load(ref dy, at + j), place = V.Load(ref maxima, at + j);");
                    for (int u = 0; u < (Sequence ? 1 : 2); u++)
                    {
                        string Pick(int v) => $"V.SelectGreater(half, V.Abs(place - V.Create({u * In.Width + v}f)), g, V.Zero)";
                        writer.Line($"V.StorePairs({Pick(0)}, {Pick(1)},");
                        writer.Line($"    ref row, {(u == 0 ? "" : $"{In.Width} + ")}j * 2, {count});");
                    }
                });
            }

            /// <summary>
            /// Backward from the maxima the forward kept: each sample's dx cleared (while it is in cache), then dy sent to
            /// where each window's maximum is, set where windows do not overlap, added where they do.
            /// </summary>
            private void EmitMaxBackward(SourceWriter writer)
            {
                LayerBuffers buffers = _pool.Buffers;
                string at = Sequence ? "[c, q]" : "[c, r, q]", each = Sequence ? "[c, j]" : "[c, i, j]";
                writer.Line($"// Backward: dLoss/dx{at} = Σ dy{each} over the windows whose (first) maximum is x{at}, where the forward's {_pool.Maxima} says");
                EmitOptimized(writer);
                writer.Open($"private void {Name}Backward(int batch)");
                writer.Open("for (int b = 0; b < batch; b++)");
                writer.Line($"ref float dy = ref Unsafe.Add(ref First({buffers.OutputGradient}), b * {Out.Count});");
                writer.Line($"ref float dx = ref Unsafe.Add(ref First({buffers.InputGradient}), b * {In.Count});");
                writer.Line($"ref float maxima = ref Unsafe.Add(ref First({_pool.Maxima}), b * {Out.Count});");
                if (PairedWindows)
                {
                    EmitPairedBackward(writer);
                    writer.Close();
                    writer.Close();
                    writer.Line();
                    return;
                }
                writer.Line($"MemoryMarshal.CreateSpan(ref dx, {In.Count}).Clear();");
                writer.Line(_pool.Overlapping
                    ? "// Windows overlap: an input that is the maximum of several gets the sum."
                    : "// Windows do not overlap: each input belongs to one window.");
                writer.Open($"for (int c = 0; c < {In.Channels}; c++)");
                bool rows = OpenRows(writer, "i", Out.Height, Sequence);
                writer.Open($"for (int j = 0; j < {Out.Width}; j++)");
                string window = Offset("c", Tap("i", "0", _pool.Stride, 0), Tap("j", "0", _pool.Stride, 0), In);
                string output = Offset("c", "i", "j", Out);
                writer.Line($"Unsafe.Add(ref dx, {window} + (int)Unsafe.Add(ref maxima, {output})) {(_pool.Overlapping ? "+=" : "=")} Unsafe.Add(ref dy, {output});");
                writer.Close();
                CloseIf(writer, rows);
                writer.Close();
                writer.Close();
                writer.Close();
                writer.Line();
            }
        }
    }
}
