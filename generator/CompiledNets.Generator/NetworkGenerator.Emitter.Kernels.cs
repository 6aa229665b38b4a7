using System.Linq;
using CompiledNets.Generator.Model;
using static CompiledNets.Generator.KnownNames;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// The tiled SIMD kernels of vectorized Linear layers, emitted once per distinct shape and per
    /// <see cref="Tiling"/> width. Three products per shape:
    /// forward <c>y = bias + x · weightᵀ</c> (register tile of rows × outputs, reduced along the inputs),
    /// input gradient <c>dx = dy · weight</c> and weight gradient <c>dweight += dyᵀ · x</c> (register tiles
    /// of rows × column vectors, each step one broadcast per row and one load per column vector).
    /// Every loop bound is a constant except the batch.
    /// </summary>
    internal static partial class Emitter
    {
        private static string Vec(Tiling t) => t.IsScalar ? "float" : $"{t.VectorType}<float>";

        private static string Zero(Tiling t) => t.IsScalar ? "0f" : $"{t.VectorType}<float>.Zero";

        private static string Load(Tiling t, string reference, string offset) =>
            t.IsScalar ? $"{Unsafe}.Add(ref {reference}, {offset})" : $"{t.VectorType}.LoadUnsafe(ref {reference}, (nuint)({offset}))";

        private static string Store(Tiling t, string value, string reference, string offset) =>
            t.IsScalar ? $"{Unsafe}.Add(ref {reference}, {offset}) = {value};" : $"{t.VectorType}.StoreUnsafe({value}, ref {reference}, (nuint)({offset}));";

        // MultiplyAddEstimate fuses where the hardware has FMA and multiplies then adds where it does not
        // (SSE-only x64, the default target of a native AOT build), instead of emulating a fused
        // multiply-add lane by lane.
        private static string Fma(Tiling t, string a, string b, string c) =>
            t.IsScalar ? $"{a} * {b} + {c}" : $"{t.VectorType}.MultiplyAddEstimate({a}, {b}, {c})";

        private static string Broadcast(Tiling t, string value) => t.IsScalar ? value : $"{t.VectorType}.Create({value})";

        private static string Sum(Tiling t, string value) => t.IsScalar ? value : $"{t.VectorType}.Sum({value})";

        private static string Offset(int constant, string variable) => constant == 0 ? variable : $"{constant} + {variable}";

        private static void EmitShapeKernels(SourceWriter writer, ShapeSpec shape)
        {
            writer.Line($"// ---- Kernels for Linear layers of shape {shape.InFeatures} → {shape.OutFeatures} " + new string('-', 40));
            writer.Line();
            foreach (Tiling t in Tiling.All)
            {
                if (shape.Small)
                {
                    EmitTransposedForwardKernels(writer, shape, t);
                }
                else
                {
                    EmitForwardKernels(writer, shape, t);
                }
                EmitWeightGradientKernels(writer, shape, t);
                EmitBiasGradientKernel(writer, shape, t);
                if (shape.NeedsInputGradient)
                {
                    EmitInputGradientKernels(writer, shape, t);
                }
            }
        }

        /// <summary>A dispatch on the widest accelerated vector type: one branch survives JIT compilation.</summary>
        private static void EmitWidthDispatch(SourceWriter writer, System.Func<Tiling, string> call)
        {
            string keyword = "if";
            foreach (Tiling t in Tiling.All)
            {
                if (t.IsScalar)
                {
                    writer.Open("else");
                }
                else
                {
                    writer.Open($"{keyword} ({t.VectorType}.IsHardwareAccelerated)");
                }
                writer.Line(call(t));
                writer.Close();
                keyword = "else if";
            }
        }

        // ---- forward: y[b, o] = bias[o] + Σ_i x[b, i] · w[o, i] ----------------------------------

        private static void EmitForwardKernels(SourceWriter writer, ShapeSpec shape, Tiling t)
        {
            int inputs = shape.InFeatures, outputs = shape.OutFeatures;
            string name = $"Forward{shape.Name}";
            writer.Line($"// y = bias + x · weightᵀ for rows [rowStart, rowEnd): tiles of {t.DotRows} rows × {t.DotOutputs} outputs ({t.Suffix}).");
            writer.Open($"private static void {name}{t.Suffix}(ref float x, ref float w, ref float bias, ref float y, int rowStart, int rowEnd)");
            writer.Line("int b = rowStart;");
            writer.Open($"for (; b <= rowEnd - {t.DotRows}; b += {t.DotRows})");
            writer.Line($"{name}Rows{t.DotRows}{t.Suffix}(ref {Unsafe}.Add(ref x, b * {inputs}), ref w, ref bias, ref {Unsafe}.Add(ref y, b * {outputs}));");
            writer.Close();
            writer.Open("for (; b < rowEnd; b++)");
            writer.Line($"{name}Rows1{t.Suffix}(ref {Unsafe}.Add(ref x, b * {inputs}), ref w, ref bias, ref {Unsafe}.Add(ref y, b * {outputs}));");
            writer.Close();
            writer.Close();
            writer.Line();

            foreach (int rows in new[] { t.DotRows, 1 }.Distinct())
            {
                writer.Line($"// {rows} row(s) of y: {rows} × {t.DotOutputs} accumulators over the {inputs} inputs, then horizontal sums.");
                writer.Open($"private static void {name}Rows{rows}{t.Suffix}(ref float x, ref float w, ref float bias, ref float y)");
                writer.Line("int o = 0;");
                writer.Open($"for (; o <= {outputs} - {t.DotOutputs}; o += {t.DotOutputs})");
                EmitDotBlock(writer, t, rows, t.DotOutputs, inputs, outputs);
                writer.Close();
                if (outputs % t.DotOutputs != 0)
                {
                    writer.Open($"for (; o < {outputs}; o++)");
                    EmitDotBlock(writer, t, rows, 1, inputs, outputs);
                    writer.Close();
                }
                writer.Close();
                writer.Line();
            }
        }

        private static void EmitDotBlock(SourceWriter writer, Tiling t, int rows, int outputs, int inputs, int stride)
        {
            var pairs = (from r in Enumerable.Range(0, rows) from q in Enumerable.Range(0, outputs) select (r, q)).ToArray();
            writer.Line($"ref float wo = ref {Unsafe}.Add(ref w, o * {inputs});");
            writer.Line($"{Vec(t)} {string.Join(", ", pairs.Select(p => $"a{p.r}{p.q} = {Zero(t)}"))};");
            writer.Line("int i = 0;");
            writer.Open($"for (; i <= {inputs} - {t.Lanes}; i += {t.Lanes})");
            for (int r = 0; r < rows; r++)
            {
                writer.Line($"{Vec(t)} x{r} = {Load(t, "x", Offset(r * inputs, "i"))};");
            }
            for (int q = 0; q < outputs; q++)
            {
                writer.Line($"{Vec(t)} w{q} = {Load(t, "wo", Offset(q * inputs, "i"))};");
            }
            foreach ((int r, int q) in pairs)
            {
                writer.Line($"a{r}{q} = {Fma(t, $"x{r}", $"w{q}", $"a{r}{q}")};");
            }
            writer.Close();
            writer.Line($"float {string.Join(", ", pairs.Select(p => $"s{p.r}{p.q} = {Sum(t, $"a{p.r}{p.q}")}"))};");
            if (!t.IsScalar && inputs % t.Lanes != 0)
            {
                writer.Open($"for (; i < {inputs}; i++)");
                foreach ((int r, int q) in pairs)
                {
                    writer.Line($"s{r}{q} += {Unsafe}.Add(ref x, {Offset(r * inputs, "i")}) * {Unsafe}.Add(ref wo, {Offset(q * inputs, "i")});");
                }
                writer.Close();
            }
            foreach ((int r, int q) in pairs)
            {
                writer.Line($"{Unsafe}.Add(ref y, {Offset(r * stride, q == 0 ? "o" : $"o + {q}")}) = {Unsafe}.Add(ref bias, {(q == 0 ? "o" : $"o + {q}")}) + s{r}{q};");
            }
        }

        private static void EmitTransposedForwardKernels(SourceWriter writer, ShapeSpec shape, Tiling t)
        {
            int inputs = shape.InFeatures, outputs = shape.OutFeatures;
            string name = $"ForwardT{shape.Name}";
            writer.Line($"// y = bias + x · weightT for rows [rowStart, rowEnd), weightT = weightᵀ [{inputs}, {outputs}]: tiles of {t.BroadcastRows} rows × {t.BroadcastVectors * t.Lanes} outputs ({t.Suffix}).");
            writer.Open($"private static void {name}{t.Suffix}(ref float x, ref float weightT, ref float bias, ref float y, int rowStart, int rowEnd)");
            writer.Line("int b = rowStart;");
            writer.Open($"for (; b <= rowEnd - {t.BroadcastRows}; b += {t.BroadcastRows})");
            writer.Line($"{name}Rows{t.BroadcastRows}{t.Suffix}(ref {Unsafe}.Add(ref x, b * {inputs}), ref weightT, ref bias, ref {Unsafe}.Add(ref y, b * {outputs}), {inputs});");
            writer.Close();
            writer.Open("for (; b < rowEnd; b++)");
            writer.Line($"{name}Rows1{t.Suffix}(ref {Unsafe}.Add(ref x, b * {inputs}), ref weightT, ref bias, ref {Unsafe}.Add(ref y, b * {outputs}), {inputs});");
            writer.Close();
            writer.Close();
            writer.Line();
            foreach (int rows in new[] { t.BroadcastRows, 1 })
            {
                writer.Line($"// {rows} row(s) of y: A(r, k) = x[b + r, k], B = weightT, starting from the bias.");
                EmitBroadcastKernel(writer, t, $"{name}Rows{rows}{t.Suffix}", rows, outputs, aRow: inputs, aK: 1, bK: outputs, cRow: outputs, Init.Bias);
            }
        }

        private static void EmitBiasGradientKernel(SourceWriter writer, ShapeSpec shape, Tiling t)
        {
            int outputs = shape.OutFeatures;
            writer.Line($"// dbias[o] += Σ_b dy[b, o]: vectors of outputs summed down the batch ({t.Suffix}).");
            writer.Open($"private static void BiasGradient{shape.Name}{t.Suffix}(ref float dy, ref float gradBias, int batch)");
            writer.Line("int col = 0;");
            writer.Open($"for (; col <= {outputs} - {t.Lanes}; col += {t.Lanes})");
            EmitBiasBlock(writer, t, outputs, keep: 0);
            writer.Close();
            if (!t.IsScalar && outputs % t.Lanes != 0)
            {
                writer.Open($"if (col < {outputs})");
                EmitBiasBlock(writer, t, outputs, keep: outputs % t.Lanes);
                writer.Close();
            }
            writer.Close();
            writer.Line();
        }

        private static void EmitBiasBlock(SourceWriter writer, Tiling t, int outputs, int keep)
        {
            writer.Line($"{Vec(t)} sum = {Load(t, "gradBias", "col")};");
            writer.Open("for (int b = 0; b < batch; b++)");
            writer.Line($"sum += {Load(t, "dy", $"b * {outputs} + col")};");
            writer.Close();
            if (keep == 0)
            {
                writer.Line(Store(t, "sum", "gradBias", "col"));
            }
            else
            {
                EmitPartialStore(writer, t.Lanes, "sum", "gradBias", "col", keep);
            }
        }

        /// <summary>What a gradient or forward tile starts from.</summary>
        private enum Init
        {
            Zero,
            Accumulate,
            Bias,
        }

        // ---- gradients: C[r, :] (+)= Σ_k A(r, k) · B[k, :] with one broadcast per row --------------

        private static void EmitWeightGradientKernels(SourceWriter writer, ShapeSpec shape, Tiling t)
        {
            int inputs = shape.InFeatures, outputs = shape.OutFeatures;
            string name = $"WeightGradient{shape.Name}";
            writer.Line($"// dweight[o, :] += Σ_b dy[b, o] · x[b, :] for outputs [rowStart, rowEnd): tiles of {t.BroadcastRows} outputs × {t.BroadcastVectors * t.Lanes} inputs ({t.Suffix}).");
            writer.Open($"private static void {name}{t.Suffix}(ref float dy, ref float x, ref float gradWeight, int batch, int rowStart, int rowEnd)");
            writer.Line("int o = rowStart;");
            writer.Open($"for (; o <= rowEnd - {t.BroadcastRows}; o += {t.BroadcastRows})");
            writer.Line($"{name}Rows{t.BroadcastRows}{t.Suffix}(ref {Unsafe}.Add(ref dy, o), ref x, ref {Unsafe}.Add(ref gradWeight, o * {inputs}), batch);");
            writer.Close();
            writer.Open("for (; o < rowEnd; o++)");
            writer.Line($"{name}Rows1{t.Suffix}(ref {Unsafe}.Add(ref dy, o), ref x, ref {Unsafe}.Add(ref gradWeight, o * {inputs}), batch);");
            writer.Close();
            writer.Close();
            writer.Line();
            foreach (int rows in new[] { t.BroadcastRows, 1 })
            {
                writer.Line($"// {rows} weight row(s): A(r, k) = dy[k, o + r], B = x, accumulated into the gradient.");
                EmitBroadcastKernel(writer, t, $"{name}Rows{rows}{t.Suffix}", rows, inputs, aRow: 1, aK: outputs, bK: inputs, cRow: inputs, Init.Accumulate);
            }
        }

        private static void EmitInputGradientKernels(SourceWriter writer, ShapeSpec shape, Tiling t)
        {
            int inputs = shape.InFeatures, outputs = shape.OutFeatures;
            string name = $"InputGradient{shape.Name}";
            writer.Line($"// dx[b, :] = Σ_o dy[b, o] · weight[o, :] for rows [rowStart, rowEnd): tiles of {t.BroadcastRows} rows × {t.BroadcastVectors * t.Lanes} inputs ({t.Suffix}).");
            writer.Open($"private static void {name}{t.Suffix}(ref float dy, ref float w, ref float dx, int rowStart, int rowEnd)");
            writer.Line("int b = rowStart;");
            writer.Open($"for (; b <= rowEnd - {t.BroadcastRows}; b += {t.BroadcastRows})");
            writer.Line($"{name}Rows{t.BroadcastRows}{t.Suffix}(ref {Unsafe}.Add(ref dy, b * {outputs}), ref w, ref {Unsafe}.Add(ref dx, b * {inputs}), {outputs});");
            writer.Close();
            writer.Open("for (; b < rowEnd; b++)");
            writer.Line($"{name}Rows1{t.Suffix}(ref {Unsafe}.Add(ref dy, b * {outputs}), ref w, ref {Unsafe}.Add(ref dx, b * {inputs}), {outputs});");
            writer.Close();
            writer.Close();
            writer.Line();
            foreach (int rows in new[] { t.BroadcastRows, 1 })
            {
                writer.Line($"// {rows} row(s) of dx: A(r, k) = dy[b + r, k], B = weight, written (not accumulated).");
                EmitBroadcastKernel(writer, t, $"{name}Rows{rows}{t.Suffix}", rows, inputs, aRow: outputs, aK: 1, bK: inputs, cRow: inputs, Init.Zero);
            }
        }

        /// <summary>
        /// C[r, col] (+)= Σ_k a[r·aRow + k·aK] · b[k·bK + col] for r &lt; rows and col &lt; columns: column
        /// blocks of several vectors, then single vectors, then one vector that reads past the row end
        /// (the buffers are padded) and keeps only the lanes inside it.
        /// </summary>
        private static void EmitBroadcastKernel(SourceWriter writer, Tiling t, string name, int rows, int columns, int aRow, int aK, int bK, int cRow, Init init)
        {
            writer.Open(init == Init.Bias
                ? $"private static void {name}(ref float a, ref float b, ref float bias, ref float c, int k)"
                : $"private static void {name}(ref float a, ref float b, ref float c, int k)");
            writer.Line("int col = 0;");
            writer.Open($"for (; col <= {columns} - {t.BroadcastVectors * t.Lanes}; col += {t.BroadcastVectors * t.Lanes})");
            EmitBroadcastBlock(writer, t, rows, t.BroadcastVectors, aRow, aK, bK, cRow, init, keep: 0);
            writer.Close();
            if (t.BroadcastVectors > 1 && columns % (t.BroadcastVectors * t.Lanes) >= t.Lanes)
            {
                writer.Open($"for (; col <= {columns} - {t.Lanes}; col += {t.Lanes})");
                EmitBroadcastBlock(writer, t, rows, 1, aRow, aK, bK, cRow, init, keep: 0);
                writer.Close();
            }
            if (!t.IsScalar && columns % t.Lanes != 0)
            {
                writer.Line($"// The last {columns % t.Lanes} column(s): one vector, of which only those lanes are stored.");
                writer.Open($"if (col < {columns})");
                EmitBroadcastBlock(writer, t, rows, 1, aRow, aK, bK, cRow, init, keep: columns % t.Lanes);
                writer.Close();
            }
            writer.Close();
            writer.Line();
        }

        private static void EmitBroadcastBlock(SourceWriter writer, Tiling t, int rows, int vectors, int aRow, int aK, int bK, int cRow, Init init, int keep)
        {
            var pairs = (from r in Enumerable.Range(0, rows) from q in Enumerable.Range(0, vectors) select (r, q)).ToArray();
            foreach ((int r, int q) in pairs)
            {
                string column = q == 0 ? "col" : $"col + {q * t.Lanes}";
                string start = init switch
                {
                    Init.Accumulate => Load(t, "c", Offset(r * cRow, column)),
                    Init.Bias => Load(t, "bias", column),
                    _ => Zero(t),
                };
                writer.Line($"{Vec(t)} c{r}{q} = {start};");
            }
            writer.Open("for (int kk = 0; kk < k; kk++)");
            writer.Line($"ref float bk = ref {Unsafe}.Add(ref b, kk * {bK} + col);");
            for (int q = 0; q < vectors; q++)
            {
                writer.Line($"{Vec(t)} b{q} = {Load(t, "bk", (q * t.Lanes).ToString())};");
            }
            for (int r = 0; r < rows; r++)
            {
                string index = aK == 1 ? Offset(r * aRow, "kk") : Offset(r * aRow, $"kk * {aK}");
                writer.Line($"{Vec(t)} a{r} = {Broadcast(t, $"{Unsafe}.Add(ref a, {index})")};");
            }
            foreach ((int r, int q) in pairs)
            {
                writer.Line($"c{r}{q} = {Fma(t, $"a{r}", $"b{q}", $"c{r}{q}")};");
            }
            writer.Close();
            foreach ((int r, int q) in pairs)
            {
                string at = Offset(r * cRow, q == 0 ? "col" : $"col + {q * t.Lanes}");
                if (keep == 0)
                {
                    writer.Line(Store(t, $"c{r}{q}", "c", at));
                }
                else
                {
                    EmitPartialStore(writer, t.Lanes, $"c{r}{q}", "c", at, keep);
                }
            }
        }

        /// <summary>
        /// Stores the first <paramref name="keep"/> lanes of a vector of <paramref name="lanes"/> floats and
        /// nothing else: halves while they fit, single lanes at the end, every index a constant.
        /// </summary>
        private static void EmitPartialStore(SourceWriter writer, int lanes, string value, string reference, string offset, int keep)
        {
            string type = lanes switch { 16 => Vector512, 8 => Vector256, _ => Vector128 };
            if (lanes == 4 || keep < lanes / 2)
            {
                if (lanes > 4)
                {
                    EmitPartialStore(writer, lanes / 2, $"{type}.GetLower({value})", reference, offset, keep);
                    return;
                }
                for (int j = 0; j < keep; j++)
                {
                    writer.Line($"{Unsafe}.Add(ref {reference}, {offset} + {j}) = {type}.GetElement({value}, {j});");
                }
                return;
            }
            string half = lanes switch { 16 => Vector256, _ => Vector128 };
            writer.Line($"{half}.StoreUnsafe({type}.GetLower({value}), ref {reference}, (nuint)({offset}));");
            if (keep > lanes / 2)
            {
                EmitPartialStore(writer, lanes / 2, $"{type}.GetUpper({value})", reference, $"{offset} + {lanes / 2}", keep - lanes / 2);
            }
        }
    }
}
