using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Reflection;
using CompiledNets.Kernels;

namespace CompiledNets.Benchmarks.Sweep;

/// <summary>
/// <c>--sweep</c>: every product of every <see cref="SweepShapes"/> network (forward, weight gradient, input gradient) at
/// batch sizes 1, 16, 64, 128 and 256, on one thread, in GFLOP/s and as a share of this machine's one-thread FMA peak
/// (<see cref="FmaPeak"/>). Prints one JSON line per measurement, then a table and the slowest shapes.
/// </summary>
/// <remarks>
/// The products are the generated kernels themselves (<c>Kernels&lt;V&gt;</c> of each network, found by reflection at
/// the width the machine runs), called on buffers of the right size; nothing else of a step is timed. Each measurement
/// warms up, then takes the median of <see cref="Rounds"/> rounds (and the fastest); shapes are visited in rounds too,
/// so a burst of noise on the shared machine lands on one round of many shapes, not on all rounds of one.
/// </remarks>
public static class ProductSweep
{
    public static readonly int[] Batches = [1, 16, 64, 128, 256];
    private const int Rounds = 5;
    private const double RoundSeconds = 0.02;

    private delegate void ForwardKernel(ref float x, ref float weight, ref float bias, ref float y, int rowStart, int rowEnd);
    private delegate void DotForwardKernel(ref float x, ref float weight, ref float bias, ref float y, int rowStart, int rowEnd, int outStart, int outEnd);
    private delegate void ColumnForwardKernel(ref float x, ref float weight, ref float bias, ref float y, int batch, int colStart, int colEnd);
    private delegate void WeightGradientKernel(ref float dy, ref float x, ref float gradWeight, int batch, int rowStart, int rowEnd);
    private delegate void InputGradientKernel(ref float dy, ref float weight, ref float dx, int rowStart, int rowEnd);

    private sealed record Case(int In, int Out, int Batch, string Product, Action Call)
    {
        public long MultiplyAdds => (long)In * Out * Batch;
        public List<double> Seconds { get; } = [];
        public long Calls { get; set; }
    }

    public static int Run(string[] args)
    {
        double peak = FmaPeak.OneThread();
        Console.WriteLine(FormattableString.Invariant($"{{\"type\":\"peak\",\"gflops_one_thread\":{peak:F1},\"vector_floats\":{SimdWidth.Widest}}}"));
        // --shapes 784x128,1024x10 keeps only those shapes.
        int filter = Array.IndexOf(args, "--shapes");
        string[]? keep = filter >= 0 && filter + 1 < args.Length ? args[filter + 1].Split(',') : null;
        List<Case> cases = Cases().Where(c => keep is null || keep.Contains($"{c.In}x{c.Out}")).ToList();
        foreach (Case c in cases)
        {
            c.Calls = Calibrate(c.Call);
        }
        for (int round = 0; round < Rounds; round++)
        {
            Console.Error.WriteLine($"round {round + 1} of {Rounds}");
            foreach (Case c in cases)
            {
                long start = Stopwatch.GetTimestamp();
                for (long i = 0; i < c.Calls; i++)
                {
                    c.Call();
                }
                c.Seconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds / c.Calls);
            }
        }

        var rows = new List<(Case Case, double Median, double Fastest, double Gflops, double Share)>();
        foreach (Case c in cases)
        {
            double[] sorted = c.Seconds.OrderBy(s => s).ToArray();
            double median = sorted[sorted.Length / 2], gflops = 2.0 * c.MultiplyAdds / median * 1e-9;
            rows.Add((c, median, sorted[0], gflops, gflops / peak));
            Console.WriteLine(FormattableString.Invariant(
                $"{{\"type\":\"product\",\"in\":{c.In},\"out\":{c.Out},\"batch\":{c.Batch},\"product\":\"{c.Product}\",\"multiply_adds\":{c.MultiplyAdds},\"seconds\":{median:E4},\"seconds_fastest\":{sorted[0]:E4},\"gflops\":{gflops:F2},\"share_of_peak\":{gflops / peak:F3}}}"));
        }

        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"One-thread FMA peak: {peak:F1} GFLOP/s ({SimdWidth.Widest} floats per vector). Share of peak per product, median of {Rounds} rounds:"));
        Console.WriteLine();
        Console.WriteLine("| in→out | " + string.Join(" | ", Batches.Select(b => $"B={b} fwd / dW / dX")) + " |");
        Console.WriteLine("|---|" + string.Concat(Batches.Select(_ => "---|")));
        foreach (var shape in rows.GroupBy(r => (r.Case.In, r.Case.Out)))
        {
            var cells = Batches.Select(b => string.Join(" / ", shape.Where(r => r.Case.Batch == b).Select(r => Percent(r.Share))));
            Console.WriteLine($"| {shape.Key.In}→{shape.Key.Out} | {string.Join(" | ", cells)} |");
        }
        Console.WriteLine();
        var large = rows.Where(r => r.Case.MultiplyAdds >= 1_000_000).OrderBy(r => r.Share).ToList();
        Console.WriteLine($"Products of at least 10⁶ multiply-adds: {large.Count}; at 75 % of peak or more: {large.Count(r => r.Share >= 0.75)}; median share {Percent(large[large.Count / 2].Share)}.");
        Console.WriteLine("The slowest ten of them:");
        foreach (var r in large.Take(10))
        {
            Console.WriteLine(FormattableString.Invariant(
                $"  {r.Case.Product,-15} {r.Case.In,4}→{r.Case.Out,-4} batch {r.Case.Batch,3}: {r.Gflops,6:F1} GFLOP/s, {Percent(r.Share)} of peak"));
        }
        return 0;
    }

    private static string Percent(double share) => (share * 100).ToString("F0", CultureInfo.InvariantCulture) + " %";

    /// <summary>Calls per round: enough to fill <see cref="RoundSeconds"/>, after a warm-up that also tiers the kernel up.</summary>
    private static long Calibrate(Action call)
    {
        var stopwatch = Stopwatch.StartNew();
        long calls = 0;
        do
        {
            call();
            calls++;
        }
        while (stopwatch.Elapsed.TotalSeconds < RoundSeconds);
        return Math.Max(1, (long)(RoundSeconds / (stopwatch.Elapsed.TotalSeconds / calls)));
    }

    private static IEnumerable<Case> Cases()
    {
        Type[] shapes = typeof(ProductSweep).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ProductSweep).Namespace && t.Name.StartsWith("Sweep", StringComparison.Ordinal) && t.GetProperty("Layers") is not null)
            .OrderBy(t => t.MetadataToken).ToArray();
        Type vector = SimdWidth.Widest switch
        {
            16 => typeof(Simd512),
            8 => typeof(Simd256),
            4 => typeof(Simd128),
            _ => typeof(SimdScalar),
        };
        int registers = (int)vector.GetProperty("Registers", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        foreach (Type shape in shapes)
        {
            var (inFeatures, outFeatures) = Flops.LinearShapes(shape)[0];
            Type kernels = shape.Assembly.GetTypes()
                .Single(t => t.Name == "Kernels`1" && t.Namespace!.EndsWith("_" + shape.Name, StringComparison.Ordinal))
                .MakeGenericType(vector);
            MethodInfo[] methods = kernels.GetMethods(BindingFlags.Public | BindingFlags.Static);
            // The forward through weightᵀ where the layer has one, else the dot products along the weight's rows.
            MethodInfo? transposedMethod = methods.SingleOrDefault(m => m.Name.StartsWith("ForwardTransposed", StringComparison.Ordinal));
            // The dot products: a narrow layer's forward, or a packed layer's for small batches (LinearSpec.SmallBatchForward).
            DotForwardKernel? dot = methods.SingleOrDefault(m => m.Name == $"Forward{inFeatures}x{outFeatures}")?.CreateDelegate<DotForwardKernel>();
            // A packed forward (split by columns) takes (batch, colStart, colEnd); an unrolled transposed one (rowStart, rowEnd).
            ForwardKernel? forward = transposedMethod is null ? null : transposedMethod.GetParameters().Length == 7
                ? ColumnsAsRows(transposedMethod.CreateDelegate<ColumnForwardKernel>(), outFeatures)
                : transposedMethod.CreateDelegate<ForwardKernel>();
            bool packed = transposedMethod?.GetParameters().Length == 7;
            // The rows below which a packed layer's forward runs the dot products, as its generated forward decides
            // (LinearSpec.SmallBatchRows and SmallBatchRowsNarrow).
            int smallBatchRows = !packed ? 0 : inFeatures < 128 ? 4 : registers >= 32 ? 32 : 8;
            // The layer's own weight gradient (a layer of short rows also has the broadcast product it runs for small batches).
            var weightGradient = methods.Single(m => m.Name == $"WeightGradient{inFeatures}x{outFeatures}").CreateDelegate<WeightGradientKernel>();
            var inputGradient = methods.Single(m => m.Name.StartsWith("InputGradient", StringComparison.Ordinal)).CreateDelegate<InputGradientKernel>();
            foreach (int batch in Batches)
            {
                // Buffers as a workspace holds them: whole tiles of rows, padding at the end, values of a trained layer's size.
                int rows = (batch + WorkspaceBase.RowTile - 1) / WorkspaceBase.RowTile * WorkspaceBase.RowTile;
                float[] x = Filled(rows * inFeatures), y = Filled(rows * outFeatures), dy = Filled(rows * outFeatures), dx = Filled(rows * inFeatures);
                float[] weight = Filled(inFeatures * outFeatures), bias = Filled(outFeatures), gradWeight = Filled(inFeatures * outFeatures);
                int b = batch, o = outFeatures, i = inFeatures, panel = SimdWidth.Widest;
                float[] weightT = Filled(inFeatures * ((outFeatures + panel - 1) / panel * panel));
                // A forward through the transposed weight pays for the copy the layer makes at the start of each pass: timed with it.
                yield return new Case(inFeatures, outFeatures, batch, "forward", forward is null || batch < smallBatchRows
                    ? () => dot!(ref x[0], ref weight[0], ref bias[0], ref y[0], 0, b, 0, o)
                    : packed
                    ? () =>
                    {
                        Transposition.ToPanels(ref weight[0], i, ref weightT[0], panel, 0, o);
                        forward(ref x[0], ref weightT[0], ref bias[0], ref y[0], 0, b);
                    }
                    : () =>
                    {
                        Transposition.ToPanels(ref weight[0], i, ref weightT[0], o, 0, o);
                        forward(ref x[0], ref weightT[0], ref bias[0], ref y[0], 0, b);
                    });
                yield return new Case(inFeatures, outFeatures, batch, "weight gradient", () => weightGradient(ref dy[0], ref x[0], ref gradWeight[0], b, 0, o));
                yield return new Case(inFeatures, outFeatures, batch, "input gradient", () => inputGradient(ref dy[0], ref weight[0], ref dx[0], 0, b));
            }
        }
    }

    /// <summary>A column-split forward called for rows [0, rowEnd) and every column.</summary>
    private static ForwardKernel ColumnsAsRows(ColumnForwardKernel kernel, int columns) =>
        (ref float x, ref float weight, ref float bias, ref float y, int rowStart, int rowEnd) => kernel(ref x, ref weight, ref bias, ref y, rowEnd, 0, columns);

    private static float[] Filled(int count)
    {
        var values = new float[count + WorkspaceBase.Padding];
        var rng = new Random(count);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(rng.NextDouble() * 0.2 - 0.1);
        }
        return values;
    }
}
