using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// The weight gradient of a Linear with rows shorter than a vector (<see cref="OutputLanesSpec"/>): lanes along the
    /// outputs, every input in one tile, the sums moved into the gradient's rows at the end.
    /// </summary>
    internal static partial class Emitter
    {
        private static void EmitOutputLanes(SourceWriter writer, OutputLanesSpec p)
        {
            int tile = OutputLanesSpec.TileVectors;
            writer.Line($"// {p.Summary}, rows of {p.Inputs} inputs (a partial AVX-512 vector):");
            writer.Line($"// a batch of {OutputLanesSpec.MinimumBatch} rows or more, on a machine with 32 vector registers, runs tiles of all {p.Inputs} inputs × " +
                $"{tile} vectors of outputs, the lanes along the");
            writer.Line($"// outputs; smaller batches, and 16 registers, run {p.InputLanes}, whose lanes run along the inputs.");
            EmitOptimized(writer);
            writer.Open("public static void " + p.Name + "(ref float dy, ref float x, ref float gradWeight, int batch, int rowStart, int rowEnd)");
            writer.Open($"if (V.Registers < 32 || batch < {OutputLanesSpec.MinimumBatch})");
            writer.Line($"{p.InputLanes}(ref dy, ref x, ref gradWeight, batch, rowStart, rowEnd);");
            writer.Line("return;");
            writer.Close();
            writer.Line("// A tile's sums, one vector per input, on their way into the gradient's rows.");
            writer.Line($"Span<float> scratch = stackalloc float[{p.Inputs * tile} * V.Count];");
            writer.Line("ref float sums = ref MemoryMarshal.GetReference(scratch);");
            writer.Line("int r = rowStart;");
            string call(int vectors, string count) =>
                $"{p.Name}Outputs{vectors}(ref Unsafe.Add(ref dy, r), ref x, ref Unsafe.Add(ref gradWeight, r * {p.Inputs}), batch, ref sums, {count});";
            writer.Open($"for (; r <= rowEnd - {tile} * V.Count; r += {tile} * V.Count)");
            writer.Line(call(tile, $"{tile} * V.Count"));
            writer.Close();
            writer.Line("// The part's last outputs, in one vector where they fit (no tile reads dy more than a vector past a row's end: the padding).");
            writer.Open("if (rowEnd - r > V.Count)");
            writer.Line(call(tile, "rowEnd - r"));
            writer.Close();
            writer.Open("else if (r < rowEnd)");
            writer.Line(call(1, "rowEnd - r"));
            writer.Close();
            writer.Close();
            writer.Line();
            EmitOutputLanesTile(writer, p, tile);
            EmitOutputLanesTile(writer, p, 1);
        }

        /// <summary>A tile of every input × <paramref name="vectors"/> vectors of outputs, of which the first <c>count</c> are added in.</summary>
        private static void EmitOutputLanesTile(SourceWriter writer, OutputLanesSpec p, int vectors)
        {
            int inputs = p.Inputs;
            writer.Line($"// {inputs} inputs × {(vectors == 1 ? "1 vector" : $"{vectors} vectors")} of outputs o, the first count of them added in: " +
                $"gradWeight[o, i] += Σ_b dy[b·{p.Outputs} + o] · x[b·{inputs} + i]");
            EmitOptimized(writer);
            writer.Open($"private static void {p.Name}Outputs{vectors}(ref float dy, ref float x, ref float gradWeight, int batch, ref float sums, int count)");
            for (int i = 0; i < inputs; i++)
            {
                for (int q = 0; q < vectors; q++)
                {
                    writer.Line($"V c{i}_{q} = V.Zero;");
                }
            }
            writer.Open("for (int b = 0; b < batch; b++)");
            writer.Line($"ref float dyb = ref Unsafe.Add(ref dy, b * {p.Outputs});");
            writer.Line($"ref float xb = ref Unsafe.Add(ref x, b * {inputs});");
            for (int q = 0; q < vectors; q++)
            {
                writer.Line($"V d{q} = V.Load(ref dyb, {VectorAt(0, q)});");
            }
            for (int i = 0; i < inputs; i++)
            {
                writer.Line($"V x{i} = V.Create(Unsafe.Add(ref xb, {i}));");
                for (int q = 0; q < vectors; q++)
                {
                    writer.Line($"c{i}_{q} = V.MultiplyAdd(d{q}, x{i}, c{i}_{q});");
                }
            }
            writer.Close();
            writer.Line($"// Input i's sums are the lanes of its {(vectors == 1 ? "vector" : "vectors")}, stored from i · {(vectors == 1 ? "" : $"{vectors} · ")}V.Count floats in, " +
                "then added into the rows of gradWeight one output at a time.");
            for (int i = 0; i < inputs; i++)
            {
                for (int q = 0; q < vectors; q++)
                {
                    writer.Line($"V.Store(c{i}_{q}, ref sums, {VectorAt(0, i * vectors + q)});");
                }
            }
            writer.Open("for (int o = 0; o < count; o++)");
            writer.Line($"ref float row = ref Unsafe.Add(ref gradWeight, o * {inputs});");
            for (int i = 0; i < inputs; i++)
            {
                string sum = i == 0 ? "Unsafe.Add(ref sums, o)" : $"Unsafe.Add(ref sums, {VectorAt(0, i * vectors)} + o)";
                writer.Line(i == 0 ? $"row += {sum};" : $"Unsafe.Add(ref row, {i}) += {sum};");
            }
            writer.Close();
            writer.Close();
            writer.Line();
        }
    }
}
