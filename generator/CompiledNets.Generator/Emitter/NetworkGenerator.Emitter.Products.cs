using System.Linq;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// The kernels: each product of the network written once for its shape, generic over the vector type
    /// <c>V</c>, every size a constant (the batch aside). Two forms:
    /// broadcast products multiply one number by vectors of a row in register tiles (the forward through a transposed
    /// weight <c>y = bias + x · weightᵀ</c>, the weight gradient <c>dweight += dyᵀ · x</c>, the input gradient
    /// <c>dx = dy · weight</c>, a convolution's products); dot products reduce along rows in vector accumulators and sum
    /// across lanes at the end (one sample, and the forward of a layer with too few outputs for a panel).
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
                    case OutputLanesSpec outputLanes:
                        EmitOutputLanes(writer, outputLanes);
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

        /// <summary>The offset of vector <paramref name="q"/> of a row starting <paramref name="constant"/> floats in.</summary>
        private static string VectorAt(int constant, int q) => q switch
        {
            0 => constant.ToString(),
            1 => constant == 0 ? "V.Count" : $"{constant} + V.Count",
            _ => constant == 0 ? $"{q} * V.Count" : $"{constant} + {q} * V.Count",
        };

        private static void EmitDotProduct(SourceWriter writer, DotProductSpec dot)
        {
            int inputs = dot.Inputs, outputs = dot.Outputs, group = DotProductSpec.Group, tail = dot.OutputTail;
            writer.Line($"// {dot.Summary}:");
            writer.Line($"// groups of {group} outputs, each a vector accumulator along the {inputs} inputs" +
                (dot.HasInputTail ? " (the last vector partial, its lanes past the row zero)," : ","));
            writer.Line($"// the {group} then summed across their lanes together (V.StoreSums: an output's bits do not depend on its group).");
            if (dot.WideRows > 0)
            {
                writer.Line($"// With 32 vector registers, {dot.WideRows} rows at a time: each weight vector loaded serves them all.");
            }
            EmitOptimized(writer);
            writer.Open($"public static void {dot.Name}(ref float x, ref float weight, ref float bias, ref float y{(dot.Batched ? ", int rowStart, int rowEnd, int outStart, int outEnd" : "")})");
            int whole = outputs - tail;
            if (!dot.Batched)
            {
                if (whole > 0)
                {
                    EmitDotGroups(writer, dot, "0", whole.ToString());
                }
                if (tail > 0 && whole > 0)
                {
                    // After the loop, a block of its own: the group's names are the loop's.
                    writer.Open($"// The last {tail} output(s), a group of their own.");
                    EmitDotGroup(writer, dot, whole.ToString(), row: null, 1, tail);
                    writer.Close();
                }
                else if (tail > 0)
                {
                    EmitDotGroup(writer, dot, "0", row: null, 1, tail);
                }
                writer.Close();
                writer.Line();
                return;
            }
            if (whole > 0)
            {
                writer.Line($"// The whole groups among the outputs [outStart, outEnd): a part starts at a whole group; the tail is the last non-empty part's.");
                writer.Line($"int groupsEnd = Math.Min(outEnd, {whole});");
            }
            if (whole > 0 && dot.OutputBlock == 0)
            {
                EmitDotRows(writer, dot, "outStart", "groupsEnd");
            }
            else if (whole > 0)
            {
                int block = dot.OutputBlock;
                writer.Line($"// The outputs in blocks of {block}: one block's weight rows ({block}·{inputs} floats) stay in cache while every row reads them.");
                writer.Open($"for (int block = outStart; block < groupsEnd; block += {block})");
                writer.Line($"int blockEnd = Math.Min(block + {block}, groupsEnd);");
                EmitDotRows(writer, dot, "block", "blockEnd");
                writer.Close();
            }
            if (tail > 0)
            {
                // Few accumulators along long rows would wait on each other's latency: the last group takes several rows at once
                // (each row's sums are the same either way).
                int rows = System.Math.Max(1, group / tail);
                // Only the part that holds the tail's first output runs it (a part past it, empty, does not).
                writer.Open($"if (outStart <= {whole} && outEnd > {whole})");
                writer.Line($"// The last {tail} output(s), a group of their own{(rows > 1 ? $", {rows} rows at a time" : "")}.");
                writer.Line("int r = rowStart;");
                if (rows > 1)
                {
                    writer.Open($"for (; r <= rowEnd - {rows}; r += {rows})");
                    EmitDotGroup(writer, dot, whole.ToString(), "r", rows, tail);
                    writer.Close();
                }
                writer.Open("for (; r < rowEnd; r++)");
                EmitDotGroup(writer, dot, whole.ToString(), "r", 1, tail);
                writer.Close();
                writer.Close();
            }
            writer.Close();
            writer.Line();
        }

        /// <summary>
        /// The whole groups of outputs [first, end) of the rows [rowStart, rowEnd): <see cref="DotProductSpec.WideRows"/> rows at a
        /// time where the machine has 32 vector registers (each weight vector loaded serves them all), then one.
        /// </summary>
        private static void EmitDotRows(SourceWriter writer, DotProductSpec dot, string first, string end)
        {
            writer.Line("int b = rowStart;");
            if (dot.WideRows > 0)
            {
                writer.Open("if (V.Registers >= 32)");
                writer.Open($"for (; b <= rowEnd - {dot.WideRows}; b += {dot.WideRows})");
                EmitDotGroups(writer, dot, first, end, dot.WideRows);
                writer.Close();
                writer.Close();
            }
            writer.Open("for (; b < rowEnd; b++)");
            EmitDotGroups(writer, dot, first, end, 1);
            writer.Close();
        }

        /// <summary>
        /// The whole groups of outputs [first, end) of <paramref name="rows"/> rows from row b (or of the one sample): a loop over
        /// the groups, or, when the outputs hold one group only, that group in a block of its own.
        /// </summary>
        private static void EmitDotGroups(SourceWriter writer, DotProductSpec dot, string first, string end, int rows = 1)
        {
            string? row = dot.Batched ? "b" : null;
            if (first == "0" && end == DotProductSpec.Group.ToString())
            {
                writer.Open($"// Outputs 0 to {DotProductSpec.Group - 1}, one group.");
                EmitDotGroup(writer, dot, "0", row, rows, DotProductSpec.Group);
                writer.Close();
                return;
            }
            writer.Open($"for (int o = {first}; o < {end}; o += {DotProductSpec.Group})");
            EmitDotGroup(writer, dot, "o", row, rows, DotProductSpec.Group);
            writer.Close();
        }

        /// <summary>
        /// Outputs first to first + count − 1 of <paramref name="rows"/> rows from <paramref name="row"/> (null: the one sample):
        /// one accumulator per row and output along the inputs, then each row's sums, bias added, stored.
        /// </summary>
        private static void EmitDotGroup(SourceWriter writer, DotProductSpec dot, string first, string? row, int rows, int count)
        {
            int inputs = dot.Inputs, outputs = dot.Outputs;
            var pairs = (from r in Enumerable.Range(0, rows) from q in Enumerable.Range(0, count) select (r, q)).ToArray();
            string Name(int r, int q) => rows == 1 ? $"a{q}" : $"a{r}{q}";
            string X(int r) => row is null ? "x" : $"x{r}";
            for (int r = 0; r < rows && row is not null; r++)
            {
                writer.Line($"ref float x{r} = ref Unsafe.Add(ref x, {(r == 0 ? row : $"({row} + {r})")} * {inputs});");
            }
            writer.Line(first == "0" ? "ref float w = ref weight;" : $"ref float w = ref Unsafe.Add(ref weight, {first} * {inputs});");
            foreach ((int r, int q) in pairs)
            {
                writer.Line($"V {Name(r, q)} = V.Zero;");
            }
            writer.Line("int i = 0;");
            writer.Open($"for (; i <= {inputs} - V.Count; i += V.Count)");
            EmitDotStep(writer, rows, count, X, Name, inputs, (source, offset) => $"V.Load(ref {source}, {offset})", whole: true);
            writer.Close();
            if (dot.HasInputTail)
            {
                writer.Open($"if (i < {inputs})");
                writer.Line("// The last inputs, a partial vector: lanes past the row are zero in x and in the weight, whatever the memory holds.");
                EmitDotStep(writer, rows, count, X, Name, inputs, (source, offset) => $"V.LoadFirst(ref {source}, {offset}, {inputs} - i)", whole: false);
                writer.Close();
            }
            for (int r = 0; r < rows; r++)
            {
                string accumulators = string.Join(", ", Enumerable.Range(0, DotProductSpec.Group).Select(q => q < count ? Name(r, q) : "V.Zero"));
                string y = row is null ? (first == "0" ? "ref y" : $"ref Unsafe.Add(ref y, {first})")
                    : $"ref Unsafe.Add(ref y, {(r == 0 ? row : $"({row} + {r})")} * {outputs}{(first == "0" ? "" : $" + {first}")})";
                string bias = first == "0" ? "ref bias" : $"ref Unsafe.Add(ref bias, {first})";
                writer.Line($"V.StoreSums({accumulators}, {bias}, {y}, {count});");
            }
        }

        /// <summary>
        /// One step along the inputs: each row's vector of x, each output's vector of the weight, their products added. A whole
        /// step reads the weight at constant offsets from its column i (<c>wi</c>), and with one row each weight vector, used
        /// once, goes straight into its multiply-add (<c>V.MultiplyAddLoad</c>). On AVX2 the 64→64 one-sample dot product took
        /// 210–230 ns with a load and an index sum per vector, 125–140 ns so (a standalone loop, interleaved rounds).
        /// </summary>
        private static void EmitDotStep(SourceWriter writer, int rows, int count, System.Func<int, string> x, System.Func<int, int, string> name, int inputs,
            System.Func<string, string, string> load, bool whole)
        {
            for (int r = 0; r < rows; r++)
            {
                writer.Line($"V xi{(rows == 1 ? "" : r.ToString())} = {load(x(r), "i")};");
            }
            if (whole)
            {
                writer.Line("ref float wi = ref Unsafe.Add(ref w, i);");
            }
            for (int q = 0; q < count; q++)
            {
                if (rows == 1 && whole)
                {
                    writer.Line($"{name(0, q)} = V.MultiplyAddLoad(xi, ref wi, {q * inputs}, {name(0, q)});");
                    continue;
                }
                string weight = whole ? $"V.Load(ref wi, {q * inputs})" : load("w", Offset(q * inputs, "i"));
                if (rows == 1)
                {
                    writer.Line($"{name(0, q)} = V.MultiplyAdd(xi, {weight}, {name(0, q)});");
                    continue;
                }
                writer.Line($"V w{q} = {weight};");
                for (int r = 0; r < rows; r++)
                {
                    writer.Line($"{name(r, q)} = V.MultiplyAdd(xi{r}, w{q}, {name(r, q)});");
                }
            }
        }

        private static void EmitBroadcastProduct(SourceWriter writer, BroadcastProductSpec p)
        {
            string bias = p.Start is ProductStart.Bias or ProductStart.RowBias ? "ref float bias, " : "";
            string depth = p.DepthIsBatch ? "int batch, " : "";
            string rowTiles = p.WideRows > 0 && p.TileVectors > 1 ? $"{p.WideRows} rows ({p.TileRows} with 16 vector registers)"
                : p.WideRows > 0 ? $"{p.WideRows} rows" : $"{p.TileRows} rows";
            writer.Line($"// {p.Summary}:");
            writer.Line($"// panels of {p.TileVectors} vector(s) of columns, each run down the rows in tiles of {rowTiles}, one broadcast of {p.A} per row and step.");
            EmitOptimized(writer);
            string range = p.SplitsColumns ? "int batch, int colStart, int colEnd" : "int rowStart, int rowEnd";
            writer.Open($"public static void {p.Name}(ref float {p.A}, ref float {p.B}, {bias}ref float {p.C}, {depth}{range})");
            string depthRows = p.DepthIsBatch ? "batch" : p.Depth.ToString();
            if (!p.ShortSumBlocks)
            {
                writer.Line(p.DepthBlock > 0
                    ? $"// Panels outside, rows inside: a panel's block of rows of {p.B} stays in cache while every row tile reads it."
                    : $"// Panels outside, rows inside: a panel's {depthRows} rows of {p.B} stay in cache while every row tile reads them.");
            }
            string end = p.SplitsColumns ? "colEnd" : p.Columns.ToString();
            if (p.SplitsColumns)
            {
                writer.Line($"// A part's columns start at a whole vector: after its last whole panel come {(p.HasPairStep ? "a pair or " : "")}single vectors,");
                writer.Line("// and a partial one only where the part ends at the last column.");
                writer.Line("int rowStart = 0, rowEnd = batch;");
            }
            int rowBlock = p.RowBlock;
            if (rowBlock > 0)
            {
                if (p.ShortSumBlocks)
                {
                    writer.Line($"// Rows outside, in blocks of {rowBlock}, each run along every panel (the whole of {p.B}, {depthRows} rows, stays in cache):");
                    writer.Line($"// a sum of {p.Depth} terms stores its tile often, and a block writes its rows of {p.C} in order, not a few lines of every row per panel.");
                }
                else
                {
                    writer.Line($"// Rows in blocks of {rowBlock}: a block's rows of {p.A} stay in cache while every panel reads them.");
                }
                writer.Open($"for (int blockStart = rowStart; blockStart < rowEnd; blockStart += {rowBlock})");
                writer.Line($"int blockEnd = Math.Min(blockStart + {rowBlock}, rowEnd);");
            }
            if (p.DepthBlock > 0)
            {
                writer.Line($"// The sums in blocks of {p.DepthBlock} rows of {p.B}, each run by every panel and row tile before the next, so that a panel's block");
                writer.Line($"// stays in cache however long the sum ({p.Depth}): the first block's tiles store {p.C}, later ones add to it, each sum in its order.");
                writer.Open($"for (int kStart = 0; kStart < {p.Depth}; kStart += {p.DepthBlock})");
                writer.Line($"int kEnd = Math.Min(kStart + {p.DepthBlock}, {p.Depth});");
            }
            (string first, string last) = rowBlock > 0 ? ("blockStart", "blockEnd") : ("rowStart", "rowEnd");
            writer.Line(p.SplitsColumns ? "int col = colStart;" : "int col = 0;");
            string step = p.TileVectors == 1 ? "V.Count" : $"{p.TileVectors} * V.Count";
            writer.Open($"for (; col <= {end} - {step}; col += {step})");
            EmitBroadcastRowTiles(writer, p, p.TileVectors, partial: false, first, last);
            writer.Close();
            if (p.HasPairStep)
            {
                writer.Line("// Two whole vectors left after the panels: one tile of both, each broadcast serving two vectors.");
                writer.Open($"if (col <= {end} - 2 * V.Count)");
                EmitBroadcastRowTiles(writer, p, 2, partial: false, first, last);
                writer.Line("col += 2 * V.Count;");
                writer.Close();
            }
            if (p.HasVectorLoop)
            {
                writer.Open($"for (; col <= {end} - V.Count; col += V.Count)");
                EmitBroadcastRowTiles(writer, p, 1, partial: false, first, last);
                writer.Close();
            }
            if (p.HasPartialVector)
            {
                writer.Line($"// The last {p.Columns} % V.Count columns: one vector, of which only those lanes are stored.");
                writer.Open($"if (col < {end})");
                EmitBroadcastRowTiles(writer, p, 1, partial: true, first, last);
                writer.Close();
            }
            if (p.DepthBlock > 0)
            {
                writer.Close();
            }
            if (rowBlock > 0)
            {
                writer.Close();
            }
            writer.Close();
            writer.Line();

            // The wide tiles (32 registers; one-vector ones on every machine), the 4-row tiles, the rows left of a constant count.
            foreach (int rows in new[] { p.WideRows, p.TileRows, p.TailRows }.Where(rows => rows > 0))
            {
                EmitBroadcastTile(writer, p, rows, p.TileVectors, partial: false);
                if (p.HasPairStep)
                {
                    EmitBroadcastTile(writer, p, rows, 2, partial: false);
                }
                if (p.HasVectorLoop)
                {
                    EmitBroadcastTile(writer, p, rows, 1, partial: false);
                }
                if (p.HasPartialVector)
                {
                    EmitBroadcastTile(writer, p, rows, 1, partial: true);
                }
            }
        }

        /// <summary>The suffix of a tile method: <c>x3</c>, <c>x2</c>, <c>x1</c> or <c>x1Partial</c>.</summary>
        private static string TileName(int vectors, bool partial) => partial ? $"x{vectors}Partial" : $"x{vectors}";

        /// <summary>One panel's rows: wide tiles where the registers allow, then 4-row tiles, then the rows left of a constant count.</summary>
        private static void EmitBroadcastRowTiles(SourceWriter writer, BroadcastProductSpec p, int vectors, bool partial, string rowStart, string rowEnd)
        {
            string tile = TileName(vectors, partial);
            // A panel of B holds one vector of columns for every k, so the panel of column col (a whole vector) starts col · depth in.
            string bColumn = p.BInPanels ? $"col * {p.Depth}" : "col";
            string call(int rows) =>
                $"{p.Name}Tile{rows}{tile}(ref Unsafe.Add(ref {p.A}, {Times("r", p.ARowStride)}), ref Unsafe.Add(ref {p.B}, {bColumn}), " +
                (p.Start == ProductStart.Bias ? "ref Unsafe.Add(ref bias, col), " : p.Start == ProductStart.RowBias ? "ref Unsafe.Add(ref bias, r), " : "") +
                $"ref Unsafe.Add(ref {p.C}, {Times("r", p.CRowStride)} + col){(p.DepthIsBatch ? ", batch" : "")}{(p.DepthBlock > 0 ? ", kStart, kEnd" : "")});";
            writer.Line($"int r = {rowStart};");
            if (p.WideRows > 0)
            {
                // Threads split constant rows at multiples of 4: a part that ends before the last row must end in whole 4-row tiles,
                // which wide tiles of another count would leave short (the tail tile covers the last rows of all only).
                bool wholeOnly = !p.RowsAreBatch && p.WideRows % p.TileRows != 0;
                if (wholeOnly)
                {
                    writer.Line($"// Tiles of {p.WideRows} rows only in a part that holds all {p.Rows} rows: another part ends at a multiple of 4.");
                }
                // A one-vector wide tile (at most 12 rows: 12 accumulators, the vector of B and the broadcast) fits 16 registers
                // too, and there its 4-row tile sums 4 chains, too few to hide the multiply-add's latency (AVX2: the seed net's 20→2
                // forward, one partial vector wide, and its 10→20 weight gradient took a fifth of a batch-32 step in 4-row tiles).
                string condition = string.Join(" && ", new[]
                {
                    vectors == 1 ? null : "V.Registers >= 32",
                    wholeOnly ? $"{rowEnd} - {rowStart} == {p.Rows}" : null,
                }.Where(part => part is not null));
                if (condition.Length > 0)
                {
                    writer.Open($"if ({condition})");
                }
                writer.Open($"for (; r <= {rowEnd} - {p.WideRows}; r += {p.WideRows})");
                writer.Line(call(p.WideRows));
                writer.Close();
                if (condition.Length > 0)
                {
                    writer.Close();
                }
            }
            if (p.RowsAreBatch)
            {
                writer.Line("// The batch buffers hold whole tiles of 4 rows: the last tile's spare rows are computed and never read.");
                writer.Open($"for (; r < {rowEnd}; r += {p.TileRows})");
            }
            else
            {
                writer.Open($"for (; r <= {rowEnd} - {p.TileRows}; r += {p.TileRows})");
            }
            writer.Line(call(p.TileRows));
            writer.Close();
            if (p.TailRows > 0)
            {
                writer.Line($"// The last {p.TailRows} row(s) of {p.Rows}.");
                writer.Open($"if (r < {rowEnd})");
                writer.Line(call(p.TailRows));
                writer.Close();
            }
        }

        /// <summary>A register tile: <paramref name="rows"/> rows × <paramref name="vectors"/> vectors of C, summed along the whole depth.</summary>
        private static void EmitBroadcastTile(SourceWriter writer, BroadcastProductSpec p, int rows, int vectors, bool partial)
        {
            string bias = p.Start is ProductStart.Bias or ProductStart.RowBias ? "ref float bias, " : "";
            string depthParameter = p.DepthIsBatch ? ", int batch" : p.DepthBlock > 0 ? ", int kStart, int kEnd" : "";
            string columns = partial ? $"the last {p.Columns} % V.Count columns" : vectors == 1 ? "1 vector" : $"{vectors} vectors";
            string bStride = p.BInPanels ? "k, j (packed in panels)" : $"{Dot("k", p.BDepthStride)} + j";
            string sum = (p.Start == ProductStart.Bias ? "bias[j] + " : p.Start == ProductStart.RowBias ? "bias[r] + " : "") +
                $"Σ_k {p.A}[{Dot("r", p.ARowStride)} + {Dot("k", p.ADepthStride)}] · {p.B}[{bStride}]";
            writer.Line($"// {rows} row(s) × {columns} of {p.C}: {p.C}[r, j] {(p.Start == ProductStart.Accumulate ? "+=" : "=")} " +
                (p.ReLU ? $"max(0, {sum})" : sum) + (p.DepthBlock > 0 ? $", k in [kStart, kEnd){(p.Start == ProductStart.Zero ? " (+= after the first block)" : "")}" : ""));
            EmitOptimized(writer);
            writer.Open($"private static void {p.Name}Tile{rows}{TileName(vectors, partial)}(ref float {p.A}, ref float {p.B}, {bias}ref float {p.C}{depthParameter})");
            var pairs = (from r in Enumerable.Range(0, rows) from q in Enumerable.Range(0, vectors) select (r, q)).ToArray();
            foreach ((int r, int q) in pairs)
            {
                string start = p.Start switch
                {
                    ProductStart.Accumulate => $"V.Load(ref {p.C}, {VectorAt(r * p.CRowStride, q)})",
                    ProductStart.Zero when p.DepthBlock > 0 => $"kStart == 0 ? V.Zero : V.Load(ref {p.C}, {VectorAt(r * p.CRowStride, q)})",
                    ProductStart.Bias => $"V.Load(ref bias, {VectorAt(0, q)})",
                    ProductStart.RowBias => $"V.Create(Unsafe.Add(ref bias, {r}))",
                    _ => "V.Zero",
                };
                writer.Line($"V c{r}{q} = {start};");
            }
            // The vectors of B and broadcasts of A of a step, assigned afresh by each step.
            writer.Line($"V {string.Join(", ", Enumerable.Range(0, vectors).Select(q => $"b{q}").Concat(Enumerable.Range(0, rows).Select(r => $"a{r}")))};");
            string depthEnd = p.DepthBlock > 0 ? "kEnd" : p.DepthIsBatch ? "batch" : p.Depth.ToString();
            // bk and ak walk along the sum: row k of B (in a panel, its vector k) and element k of A's rows. Only a product
            // that reads B in place runs in depth blocks, so only there do they start at kStart.
            string bFirst = p.DepthBlock > 0 ? $"ref Unsafe.Add(ref {p.B}, {Times("kStart", p.BDepthStride)})" : $"ref {p.B}";
            string aFirst = p.DepthBlock > 0 ? $"ref Unsafe.Add(ref {p.A}, {Times("kStart", p.ADepthStride)})" : $"ref {p.A}";
            writer.Line($"ref float bk = {bFirst}; // {(p.BInPanels ? "vector k of each panel" : "row k")} of {p.B}, walking along the sum");
            writer.Line($"ref float ak = {aFirst}; // element k of each row of {p.A}, walking along the sum");
            writer.Line($"int k = {(p.DepthBlock > 0 ? "kStart" : "0")};");
            int steps = p.StepsPerPass;
            if (p.HasPasses)
            {
                writer.Line($"// {steps} steps of k per pass: the loop's own instructions come once for all of them.");
                writer.Open($"for (; k <= {depthEnd} - {steps}; k += {steps})");
                EmitBroadcastSteps(writer, p, rows, vectors, steps);
                writer.Close();
            }
            if (p.HasSingleSteps)
            {
                writer.Open(p.HasPasses ? $"for (; k < {depthEnd}; k++) // the steps left after the passes, one at a time" : $"for (; k < {depthEnd}; k++)");
                EmitBroadcastSteps(writer, p, rows, vectors, 1);
                writer.Close();
            }
            foreach ((int r, int q) in pairs)
            {
                string at = VectorAt(r * p.CRowStride, q);
                string value = p.ReLU ? $"V.Max(c{r}{q}, V.Zero)" : $"c{r}{q}";
                writer.Line(partial ? $"V.StorePartial({value}, ref {p.C}, {at}, {p.Columns} % V.Count);" : $"V.Store({value}, ref {p.C}, {at});");
            }
            writer.Close();
            writer.Line();
        }

        /// <summary>The steps k, k + 1, … of a tile's loop: each loads its vectors of B, then broadcasts each row's A into them.</summary>
        private static void EmitBroadcastSteps(SourceWriter writer, BroadcastProductSpec p, int rows, int vectors, int steps)
        {
            for (int step = 0; step < steps; step++)
            {
                if (step > 0)
                {
                    writer.Line($"// Step k + {step}.");
                }
                for (int q = 0; q < vectors; q++)
                {
                    // Packed, each vector's panel is depth · V.Count floats after the one before, and a step V.Count floats on.
                    string at = p.BInPanels
                        ? (q * p.Depth + step) switch { 0 => "0", 1 => "V.Count", int n => $"{n} * V.Count" }
                        : VectorAt(step * p.BDepthStride, q);
                    writer.Line($"b{q} = V.Load(ref bk, {at});");
                }
                for (int r = 0; r < rows; r++)
                {
                    writer.Line($"a{r} = V.Create(Unsafe.Add(ref ak, {r * p.ARowStride + step * p.ADepthStride}));");
                    for (int q = 0; q < vectors; q++)
                    {
                        writer.Line($"c{r}{q} = V.MultiplyAdd(a{r}, b{q}, c{r}{q});");
                    }
                }
            }
            writer.Line(p.BInPanels
                ? $"bk = ref Unsafe.Add(ref bk, {(steps == 1 ? "V.Count" : $"{steps} * V.Count")});"
                : $"bk = ref Unsafe.Add(ref bk, {steps * p.BDepthStride});");
            writer.Line($"ak = ref Unsafe.Add(ref ak, {steps * p.ADepthStride});");
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
