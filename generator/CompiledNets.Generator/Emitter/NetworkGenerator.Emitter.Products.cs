using System.Linq;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// The kernels: each product of the network written once for its shape, generic over the vector type
    /// <c>V</c>, every size a constant (the batch aside). Two forms:
    /// dot products reduce along rows in vector accumulators and sum across lanes at the end (a large layer's
    /// forward, <c>y = bias + x · weightᵀ</c>), broadcast products multiply one number by vectors of a row
    /// (the weight gradient <c>dweight += dyᵀ · x</c>, the input gradient <c>dx = dy · weight</c>, and a small
    /// layer's forward through its transposed weight).
    /// </summary>
    internal static partial class Emitter
    {
        private static void EmitKernelsClass(SourceWriter writer, NetworkSpec network)
        {
            writer.Line("/// <summary>");
            writer.Line("/// The products the layers call, each written once for its shape and generic over the vector type V");
            writer.Line("/// (Simd512, Simd256, Simd128 or SimdScalar): the JIT compiles the width the machine runs, in which");
            writer.Line("/// V.Count and every loop bound are constants. Each kernel's comment gives its formula and its tile. The methods of");
            writer.Line("/// a step are marked AggressiveOptimization: fully optimized from their first call, not after tiering up.");
            writer.Line("/// </summary>");
            writer.Line($"[GeneratedCode(\"CompiledNets.Generator\", \"{Version}\")]");
            writer.OpenGeneric("internal static class Kernels<V>");
            foreach (ProductSpec product in network.Products)
            {
                switch (product)
                {
                    case DotProductSpec dot:
                        EmitDotProduct(writer, dot);
                        break;
                    case BroadcastProductSpec broadcast:
                        EmitBroadcastProduct(writer, broadcast);
                        break;
                    case ColumnSumSpec sum:
                        EmitColumnSum(writer, sum);
                        break;
                    default:
                        throw new System.InvalidOperationException($"No emitter for product {product.GetType().Name}.");
                }
            }
            writer.Close();
        }

        /// <summary>
        /// Marks a method of a training step or an inference: compiled fully optimized at its first call. Under the default
        /// tiered JIT it would otherwise start unoptimized, where every operation of the vector type and every small helper
        /// is a call, and a short training run would spend most of its time before tiering up.
        /// </summary>
        private static void EmitOptimized(SourceWriter writer) => writer.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");

        /// <summary><c>variable * stride</c> in code and <c>variable·stride</c> in comments, leaving out a stride of 1.</summary>
        private static string Times(string variable, int stride) => stride == 1 ? variable : $"{variable} * {stride}";

        /// <inheritdoc cref="Times"/>
        private static string Dot(string variable, int stride) => stride == 1 ? variable : $"{variable}·{stride}";

        /// <summary><c>constant + variable</c>, leaving out a zero constant.</summary>
        private static string Offset(int constant, string variable) => constant == 0 ? variable : $"{constant} + {variable}";

        /// <summary>The offset of vector <paramref name="q"/> of a block starting at <paramref name="column"/>.</summary>
        private static string VectorOffset(string column, int q) => q switch
        {
            0 => column,
            1 => $"{column} + V.Count",
            _ => $"{column} + {q} * V.Count",
        };

        private static void EmitDotProduct(SourceWriter writer, DotProductSpec dot)
        {
            int inputs = dot.Inputs, outputs = dot.Outputs;
            string rows = dot.Rows == 1 ? "" : ", int rowStart, int rowEnd";
            writer.Line($"// {dot.Summary}: tiles of {dot.Rows} row(s) × {dot.TileOutputs} outputs, each a vector sum along the {inputs} inputs.");
            EmitOptimized(writer);
            writer.Open($"public static void {dot.Name}(ref float x, ref float weight, ref float bias, ref float y{rows})");
            if (dot.Rows == 1)
            {
                writer.Line("ref float xb = ref x;");
                writer.Line("ref float yb = ref y;");
                EmitDotOutputs(writer, dot, "0", outputs.ToString(), dot.HasOutputTail);
            }
            else if (dot.OutputBlock == 0)
            {
                writer.Line("int b = rowStart;");
                writer.Open($"for (; b <= rowEnd - {dot.Rows}; b += {dot.Rows})");
                EmitDotRowTile(writer, dot, "0", outputs.ToString(), dot.HasOutputTail);
                writer.Close();
                EmitDotRowTail(writer, dot, "b");
            }
            else
            {
                int block = dot.OutputBlock;
                writer.Line($"// The outputs in blocks of {block}: one block's weight rows ({block}·{inputs} floats) stay in cache while every row tile reads them.");
                writer.Line($"int tilesEnd = rowEnd - (rowEnd - rowStart) % {dot.Rows};");
                writer.Open($"for (int block = 0; block < {outputs}; block += {block})");
                bool partialBlock = outputs % block != 0;
                if (partialBlock)
                {
                    writer.Line($"int blockEnd = Math.Min(block + {block}, {outputs});");
                }
                writer.Open($"for (int b = rowStart; b < tilesEnd; b += {dot.Rows})");
                // Blocks hold whole tiles of outputs; only the last block, when partial, can end in a tail.
                EmitDotRowTile(writer, dot, "block", partialBlock ? "blockEnd" : $"block + {block}", dot.HasOutputTail);
                writer.Close();
                writer.Close();
                EmitDotRowTail(writer, dot, "tilesEnd");
            }
            writer.Close();
            writer.Line();
        }

        private static void EmitDotRowTile(SourceWriter writer, DotProductSpec dot, string first, string end, bool tail)
        {
            writer.Line($"ref float xb = ref Unsafe.Add(ref x, b * {dot.Inputs});");
            writer.Line($"ref float yb = ref Unsafe.Add(ref y, b * {dot.Outputs});");
            EmitDotOutputs(writer, dot, first, end, tail);
        }

        private static void EmitDotOutputs(SourceWriter writer, DotProductSpec dot, string first, string end, bool tail)
        {
            writer.Line($"int o = {first};");
            writer.Open($"for (; o <= {end} - {dot.TileOutputs}; o += {dot.TileOutputs})");
            EmitDotBlock(writer, dot, dot.TileOutputs);
            writer.Close();
            if (tail)
            {
                writer.Open($"for (; o < {end}; o++)");
                EmitDotBlock(writer, dot, 1);
                writer.Close();
            }
        }

        /// <summary>The rows after the last whole tile, one at a time through the one-sample kernel.</summary>
        private static void EmitDotRowTail(SourceWriter writer, DotProductSpec dot, string from)
        {
            writer.Open(from == "b" ? "for (; b < rowEnd; b++)" : $"for (int b = {from}; b < rowEnd; b++)");
            writer.Line($"{dot.RowTail}(ref Unsafe.Add(ref x, b * {dot.Inputs}), ref weight, ref bias, ref Unsafe.Add(ref y, b * {dot.Outputs}));");
            writer.Close();
        }

        private static void EmitDotBlock(SourceWriter writer, DotProductSpec dot, int outputs)
        {
            int inputs = dot.Inputs;
            var pairs = (from r in Enumerable.Range(0, dot.Rows) from q in Enumerable.Range(0, outputs) select (r, q)).ToArray();
            writer.Line($"ref float w = ref Unsafe.Add(ref weight, o * {inputs});");
            foreach ((int r, int q) in pairs)
            {
                writer.Line($"V a{r}{q} = V.Zero;");
            }
            writer.Line("int i = 0;");
            writer.Open($"for (; i <= {inputs} - V.Count; i += V.Count)");
            writer.Line("ref float xi = ref Unsafe.Add(ref xb, i);");
            writer.Line("ref float wi = ref Unsafe.Add(ref w, i);");
            for (int r = 0; r < dot.Rows; r++)
            {
                writer.Line($"V x{r} = V.Load(ref xi, {r * inputs});");
            }
            for (int q = 0; q < outputs; q++)
            {
                writer.Line($"V w{q} = V.Load(ref wi, {q * inputs});");
            }
            foreach ((int r, int q) in pairs)
            {
                writer.Line($"a{r}{q} = V.MultiplyAdd(x{r}, w{q}, a{r}{q});");
            }
            writer.Close();
            foreach ((int r, int q) in pairs)
            {
                writer.Line($"float s{r}{q} = V.Sum(a{r}{q});");
            }
            if (dot.HasInputTail)
            {
                writer.Line("// The inputs after the last whole vector, one at a time.");
                writer.Open($"for (; i < {inputs}; i++)");
                foreach ((int r, int q) in pairs)
                {
                    writer.Line($"s{r}{q} += Unsafe.Add(ref xb, {Offset(r * inputs, "i")}) * Unsafe.Add(ref w, {Offset(q * inputs, "i")});");
                }
                writer.Close();
            }
            foreach ((int r, int q) in pairs)
            {
                string output = q == 0 ? "o" : $"o + {q}";
                writer.Line($"Unsafe.Add(ref yb, {Offset(r * dot.Outputs, output)}) = Unsafe.Add(ref bias, {output}) + s{r}{q};");
            }
        }

        private static void EmitBroadcastProduct(SourceWriter writer, BroadcastProductSpec p)
        {
            bool hasBias = p.Start is ProductStart.Bias or ProductStart.RowBias;
            bool chunked = p.DepthChunk > 0;
            // Between chunks the results are reloaded: only the first chunk starts from zero or the bias.
            bool first = chunked && p.Start != ProductStart.Accumulate;
            string bias = hasBias ? "ref float bias, " : "";
            string depth = p.DepthIsBatch ? "int batch, " : "";
            writer.Line($"// {p.Summary}: tiles of {p.TileRows} rows × {p.TileVectors} vector(s), one broadcast of {p.A} per row and step.");
            EmitOptimized(writer);
            writer.Open($"public static void {p.Name}(ref float {p.A}, ref float {p.B}, {bias}ref float {p.C}, {depth}int rowStart, int rowEnd)");
            string a = p.A, b = p.B;
            if (chunked)
            {
                string total = p.DepthIsBatch ? "batch" : p.Depth.ToString();
                writer.Line($"// The depth in chunks of {p.DepthChunk}: one chunk's rows of {p.B} ({p.DepthChunk}·{p.Columns} floats) stay in cache while every");
                writer.Line($"// row tile reads them. Results are stored and reloaded between chunks, so each sum adds in the same order.");
                writer.Open($"for (int k0 = 0; k0 < {total}; k0 += {p.DepthChunk})");
                writer.Line($"int depth = Math.Min({p.DepthChunk}, {total} - k0);");
                a = $"{p.A}Chunk";
                b = $"{p.B}Chunk";
                writer.Line($"ref float {a} = ref Unsafe.Add(ref {p.A}, {Times("k0", p.ADepthStride)});");
                writer.Line($"ref float {b} = ref Unsafe.Add(ref {p.B}, {Times("k0", p.BDepthStride)});");
            }
            string biasArgument = p.Start == ProductStart.Bias ? "ref bias, " : p.Start == ProductStart.RowBias ? "ref Unsafe.Add(ref bias, r), " : "";
            string depthArgument = chunked ? ", depth" : p.DepthIsBatch ? ", batch" : "";
            string firstArgument = first ? ", k0 == 0" : "";
            string call(int rows) =>
                $"{p.Name}Rows{rows}(ref Unsafe.Add(ref {a}, {Times("r", p.ARowStride)}), ref {b}, {biasArgument}ref Unsafe.Add(ref {p.C}, {Times("r", p.CRowStride)}){depthArgument}{firstArgument});";
            writer.Line("int r = rowStart;");
            if (p.RowsAreBatch)
            {
                writer.Line("// The batch buffers hold whole tiles: the last tile's spare rows are computed and never read.");
                writer.Open($"for (; r < rowEnd; r += {p.TileRows})");
            }
            else
            {
                writer.Open($"for (; r <= rowEnd - {p.TileRows}; r += {p.TileRows})");
            }
            writer.Line(call(p.TileRows));
            writer.Close();
            if (p.TailRows > 0)
            {
                writer.Line($"// The last {p.TailRows} row(s) of {p.Rows}.");
                writer.Open("if (r < rowEnd)");
                writer.Line(call(p.TailRows));
                writer.Close();
            }
            if (chunked)
            {
                writer.Close();
            }
            writer.Close();
            writer.Line();

            string depthParameter = chunked ? ", int depth" : p.DepthIsBatch ? ", int batch" : "";
            string firstParameter = first ? ", bool first" : "";
            foreach (int rows in p.TailRows > 0 ? new[] { p.TileRows, p.TailRows } : new[] { p.TileRows })
            {
                writer.Line($"// {rows} row(s) of {p.C}: {p.C}[r, col] {(p.Start == ProductStart.Accumulate ? "+=" : "=")} " +
                    (p.Start == ProductStart.Bias ? "bias[col] + " : p.Start == ProductStart.RowBias ? "bias[r] + " : "") +
                    $"Σ_k {p.A}[{Dot("r", p.ARowStride)} + {Dot("k", p.ADepthStride)}] · {p.B}[{Dot("k", p.BDepthStride)} + col]" +
                    (chunked ? $" for the k of one chunk{(first ? " (later chunks add to what the earlier ones stored)" : "")}" : ""));
                EmitOptimized(writer);
                writer.Open($"private static void {p.Name}Rows{rows}(ref float {p.A}, ref float {p.B}, {bias}ref float {p.C}{depthParameter}{firstParameter})");
                EmitBroadcastColumns(writer, p, rows, p.A, p.C);
                writer.Close();
                writer.Line();
            }
        }

        /// <summary>One row tile across the columns: whole tiles of vectors, then single vectors, then the partial last vector.</summary>
        private static void EmitBroadcastColumns(SourceWriter writer, BroadcastProductSpec p, int rows, string a, string c)
        {
            writer.Line("int col = 0;");
            string step = p.TileVectors == 1 ? "V.Count" : $"{p.TileVectors} * V.Count";
            writer.Open($"for (; col <= {p.Columns} - {step}; col += {step})");
            EmitBroadcastBlock(writer, p, rows, p.TileVectors, a, c, partial: false);
            writer.Close();
            if (p.HasVectorLoop)
            {
                writer.Open($"for (; col <= {p.Columns} - V.Count; col += V.Count)");
                EmitBroadcastBlock(writer, p, rows, 1, a, c, partial: false);
                writer.Close();
            }
            if (p.HasPartialVector)
            {
                writer.Line($"// The last {p.Columns} % V.Count columns: one vector, of which only those lanes are stored.");
                writer.Open($"if (col < {p.Columns})");
                EmitBroadcastBlock(writer, p, rows, 1, a, c, partial: true);
                writer.Close();
            }
        }

        private static void EmitBroadcastBlock(SourceWriter writer, BroadcastProductSpec p, int rows, int vectors, string a, string c, bool partial)
        {
            var pairs = (from r in Enumerable.Range(0, rows) from q in Enumerable.Range(0, vectors) select (r, q)).ToArray();
            foreach ((int r, int q) in pairs)
            {
                string load = $"V.Load(ref {c}, {Offset(r * p.CRowStride, VectorOffset("col", q))})";
                string start = p.Start switch
                {
                    ProductStart.Accumulate => load,
                    ProductStart.Bias => $"V.Load(ref bias, {VectorOffset("col", q)})",
                    ProductStart.RowBias => $"V.Create(Unsafe.Add(ref bias, {r}))",
                    _ => "V.Zero",
                };
                bool first = p.DepthChunk > 0 && p.Start != ProductStart.Accumulate;
                writer.Line(first ? $"V c{r}{q} = first ? {start} : {load};" : $"V c{r}{q} = {start};");
            }
            string depth = p.DepthChunk > 0 ? "depth" : p.DepthIsBatch ? "batch" : p.Depth.ToString();
            writer.Open($"for (int k = 0; k < {depth}; k++)");
            writer.Line($"ref float bk = ref Unsafe.Add(ref {p.B}, {Times("k", p.BDepthStride)} + col);");
            writer.Line($"ref float ak = ref Unsafe.Add(ref {a}, {Times("k", p.ADepthStride)});");
            for (int q = 0; q < vectors; q++)
            {
                writer.Line($"V b{q} = V.Load(ref bk, {(q == 0 ? "0" : q == 1 ? "V.Count" : $"{q} * V.Count")});");
            }
            for (int r = 0; r < rows; r++)
            {
                writer.Line($"V a{r} = V.Create(Unsafe.Add(ref ak, {r * p.ARowStride}));");
                for (int q = 0; q < vectors; q++)
                {
                    writer.Line($"c{r}{q} = V.MultiplyAdd(a{r}, b{q}, c{r}{q});");
                }
            }
            writer.Close();
            foreach ((int r, int q) in pairs)
            {
                string at = Offset(r * p.CRowStride, VectorOffset("col", q));
                writer.Line(partial
                    ? $"V.StorePartial(c{r}{q}, ref {c}, {at}, {p.Columns} % V.Count);"
                    : $"V.Store(c{r}{q}, ref {c}, {at});");
            }
        }

        private static void EmitColumnSum(SourceWriter writer, ColumnSumSpec sum)
        {
            writer.Line($"// {sum.Summary}: vectors of columns summed down the batch.");
            EmitOptimized(writer);
            writer.Open($"public static void {sum.Name}(ref float dy, ref float gradBias, int batch)");
            writer.Line("int col = 0;");
            writer.Open($"for (; col <= {sum.Columns} - V.Count; col += V.Count)");
            EmitColumnSumBlock(writer, sum, partial: false);
            writer.Close();
            if (sum.HasPartialVector)
            {
                writer.Open($"if (col < {sum.Columns})");
                EmitColumnSumBlock(writer, sum, partial: true);
                writer.Close();
            }
            writer.Close();
            writer.Line();
        }

        private static void EmitColumnSumBlock(SourceWriter writer, ColumnSumSpec sum, bool partial)
        {
            writer.Line("V total = V.Load(ref gradBias, col);");
            writer.Open("for (int b = 0; b < batch; b++)");
            writer.Line($"total += V.Load(ref dy, b * {sum.Columns} + col);");
            writer.Close();
            writer.Line(partial ? $"V.StorePartial(total, ref gradBias, col, {sum.Columns} % V.Count);" : "V.Store(total, ref gradBias, col);");
        }
    }
}
