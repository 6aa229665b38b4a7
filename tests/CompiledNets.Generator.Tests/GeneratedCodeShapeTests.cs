using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Generator.Tests;

/// <summary>
/// What the generated file must be for a person to read it: short enough, lines within 160 characters, each kernel
/// written once for every vector width, and no loop that cannot run at any width.
/// </summary>
public sealed class GeneratedCodeShapeTests(ITestOutputHelper output)
{
    /// <summary>The vector widths the kernels run at: AVX-512, AVX2, SSE or NEON, none.</summary>
    private static readonly int[] Widths = [16, 8, 4, 1];

    private static string Generate(params string[] layers) =>
        GeneratorDriverHelper.Run("using CompiledNets;\n\nnamespace MyApp;\n\n" + string.Join("\n", layers) + "\npublic partial class Net;\n")
            .Source("MyApp.Net.g.cs");

    // Each Linear brings its forward, weight-gradient and input-gradient products (the first layer's for dLoss/dinputs,
    // on request): the MNIST MLP's budget grew from 1000 to 1100 lines with that one. The register tiles of issue 12 are
    // written out as a person would write a GEMM micro-kernel (every accumulator named), one method per tile: an 8 × 3
    // tile for 32 vector registers, a 4 × 3 one for 16, one-vector tiles for the columns after the last panel and the rows
    // of a weight gradient's tail; that took the MNIST MLP to about 1,700 lines and the seed net to about 1,300. Blocks of a
    // large batch's rows and the one-sample path of a packed forward for batches of a few rows added some fifty more. The
    // one-vector tiles then took 8 rows on 32-register machines too (a small product waits on latency, and the seed net's
    // step got 10% faster): about 1,800 lines for the seed net and 2,050 for the MNIST MLP; its 128→10 dot products running
    // three rows at a time added some eighty more. Two vectors left after the panels then ran as one tile where they are a tenth
    // of a row or more (5–14 % faster on those products): 128-wide rows have them in three of the MNIST MLP's products, about
    // 2,550 lines. Batches of fewer than 32 rows of a packed layer then summed along the weight's rows, in the three-row dot
    // product that replaced the one-sample loop (15–75 % faster at 8 to 24 rows): about 2,690 lines. Rows of 16 to 47 columns
    // then took tiles of up to three of AVX2's 8-float vectors (16 to 31 had single-vector ones; the seed net's batch-32 step
    // 25–35 % faster on AVX2): its 20-wide rows add 8 × 2 and 4 × 2 tiles to three products, about 2,070 lines for the seed net.
    // Every tile's loop then took four steps of k per pass (two where B's rows are a page apart), the loop's own instructions
    // once per pass: mid-size products 1.1–1.6× faster on AVX2, and each step is four to thirty-five lines more per tile:
    // about 3,260 lines for the seed net and 4,270 for the MNIST MLP (each step after the first of a pass marked).
    [Theory]
    [InlineData(3300, "[Linear(10, 20)]", "[ReLU]", "[Linear(20, 2)]")]
    [InlineData(4300, "[Linear(784, 128)]", "[ReLU]", "[Linear(128, 10)]")]
    public void The_seed_net_and_the_MNIST_MLP_fit_their_line_budgets(int budget, params string[] layers)
    {
        string source = Generate(layers);
        int lines = source.Split('\n').Length - 1;
        output.WriteLine($"{string.Join(" ", layers)}: {lines} lines (budget {budget})");
        Assert.True(lines <= budget, $"{lines} lines, over the budget of {budget}");
    }

    public static TheoryData<string[]> Shapes() => new()
    {
        new[] { "[Linear(10, 20)]", "[ReLU]", "[Linear(20, 2)]" },
        new[] { "[Linear(784, 128)]", "[ReLU]", "[Linear(128, 10)]" },
        new[] { "[Linear(7, 13)]", "[Tanh]", "[Linear(13, 5)]", "[Sigmoid]", "[Linear(5, 3)]" },
        new[] { "[Linear(1, 1)]" },
        new[] { "[Linear(100, 300)]", "[LeakyReLU(0.2f)]", "[Linear(300, 30)]", "[ReLU]", "[Linear(30, 1)]" },
        new[] { "[Linear(33, 47)]", "[ReLU]", "[Linear(47, 64)]", "[ReLU]", "[Linear(64, 17)]" },
        new[] { "[Linear(1000, 1024)]", "[ReLU]", "[Linear(1024, 500)]" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void No_line_is_longer_than_160_characters(params string[] layers)
    {
        string[] lines = Generate(layers).Split('\n');
        int longest = lines.Max(line => line.Length);
        Assert.True(longest <= 160, $"a line of {longest} characters: {lines.First(line => line.Length == longest).Trim()}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Each_kernel_is_written_once_for_every_width(params string[] layers)
    {
        string source = Generate(layers);
        // In code (comments aside), the vector types appear once each: where the network picks the widest the machine accelerates.
        string[] code = source.Split('\n').Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)).ToArray();
        foreach (string type in new[] { "Simd512", "Simd256", "Simd128", "SimdScalar" })
        {
            Assert.Equal([$"new Workspace<{type}>(),"], code.Where(line => Regex.IsMatch(line, $@"\b{type}\b")).Select(line => line.Trim().Split(" => ")[^1]));
        }
        Assert.DoesNotMatch(@"Vector(512|256|128)\.(Load|Store|Create|MultiplyAdd|Sum)", source);
        string[] kernels = Regex.Matches(source, @"(public|private) static void (\w+)\(").Select(m => m.Groups[2].Value).ToArray();
        Assert.Equal(kernels.Length, kernels.Distinct().Count());
        Assert.DoesNotContain(kernels, name => Regex.IsMatch(name, "V(512|256|128)$|Scalar$"));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_loop_over_a_constant_range_runs_at_some_width(params string[] layers)
    {
        string source = Generate(layers);
        int checkedLoops = 0;
        foreach (string method in Methods(source))
        {
            foreach (List<string> run in LoopRuns(method))
            {
                // Each loop (or if) after `int v = 0;` must be entered at one width at least.
                bool[] entered = new bool[run.Count];
                foreach (int width in Widths)
                {
                    Simulate(run, width, entered);
                }
                for (int k = 0; k < run.Count; k++)
                {
                    Assert.True(entered[k], $"`{run[k]}` runs at no vector width, in:\n{method}");
                    checkedLoops++;
                }
            }
        }
        output.WriteLine($"{string.Join(" ", layers)}: {checkedLoops} constant-range loops, each runs at some width");
        Assert.True(checkedLoops > 0);
    }

    /// <summary>The bodies of the generated methods, one string each.</summary>
    private static IEnumerable<string> Methods(string source)
    {
        var starts = Regex.Matches(source, @"\n {8}(public|private|protected)[^\n]*\)\n").Select(m => m.Index).Append(source.Length).ToArray();
        for (int i = 0; i + 1 < starts.Length; i++)
        {
            yield return source.Substring(starts[i], starts[i + 1] - starts[i]);
        }
    }

    /// <summary>
    /// The statements that move one loop variable (col, i, o) from `int v = 0;` on: `for (; v &lt;= … ; v += …)`,
    /// `for (; v &lt; …; v++)` and `if (v &lt; …)`, whose bounds are constants and V.Count.
    /// </summary>
    private static IEnumerable<List<string>> LoopRuns(string method)
    {
        foreach (Match start in Regex.Matches(method, @"int (col|i|o) = 0;"))
        {
            string variable = start.Groups[1].Value;
            var run = new List<string>();
            var statement = new Regex($@"for \(; {variable} (<=|<) [^;]+; {variable}(\+\+| \+= [^)]+)\)|if \({variable} < [^)]+\)");
            foreach (Match m in statement.Matches(method, start.Index))
            {
                // A new `int v = 0;` starts the next run.
                int next = method.IndexOf($"int {variable} = 0;", start.Index + 1, StringComparison.Ordinal);
                if (next >= 0 && m.Index > next)
                {
                    break;
                }
                run.Add(m.Value);
            }
            if (run.Count > 0)
            {
                yield return run;
            }
        }
    }

    /// <summary>Runs the loop statements of a run at one width, marking those whose body executes.</summary>
    private static void Simulate(List<string> run, int width, bool[] entered)
    {
        int value = 0;
        for (int k = 0; k < run.Count; k++)
        {
            string s = run[k];
            Match loop = Regex.Match(s, @"^for \(; \w+ (<=|<) (.+?); \w+(\+\+| \+= (.+))\)$");
            if (loop.Success)
            {
                int bound = Evaluate(loop.Groups[2].Value, width);
                int step = loop.Groups[3].Value == "++" ? 1 : Evaluate(loop.Groups[4].Value, width);
                bool inclusive = loop.Groups[1].Value == "<=";
                while (inclusive ? value <= bound : value < bound)
                {
                    entered[k] = true;
                    value += step;
                }
                continue;
            }
            Match condition = Regex.Match(s, @"^if \(\w+ < (.+)\)$");
            if (condition.Success && value < Evaluate(condition.Groups[1].Value, width))
            {
                entered[k] = true;
            }
        }
    }

    /// <summary>Evaluates `784 - 4 * V.Count`-style bounds: integers, V.Count, + - *.</summary>
    private static int Evaluate(string expression, int width)
    {
        string[] terms = Regex.Split(expression.Replace("V.Count", width.ToString()).Replace(" ", ""), @"(?=[+-])");
        int total = 0;
        foreach (string term in terms.Where(t => t.Length > 0))
        {
            int sign = term[0] == '-' ? -1 : 1;
            total += sign * term.TrimStart('+', '-').Split('*').Select(int.Parse).Aggregate(1, (a, b) => a * b);
        }
        return total;
    }
}
