using System.Linq;
using Xunit;

namespace CompiledNets.Generator.Tests;

/// <summary>
/// The generated source of representative networks, compared with committed snapshots in
/// <c>Snapshots/</c>. Every test also compiles the generated code and asserts it has no errors or
/// warnings, so an accepted snapshot is always code that builds.
/// </summary>
public class SnapshotTests
{
    /// <summary>PyTorch's classic example, fully unrolled (200 and 40 weights).</summary>
    [Fact]
    public void SeedNet()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            [Linear(10, 20)]
            [ReLU]
            [Linear(20, 2)]
            public partial class Net;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        Assert.Equal(new[] { "MyApp.Net.g.cs" }, run.GeneratedSources.Select(s => s.HintName));
        Snapshot.VerifyGeneratedSources(run);
    }

    /// <summary>Both squashing activations and an odd chain of sizes: 7 → 13 → 5 → 3.</summary>
    [Fact]
    public void TanhSigmoidNet()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            [Linear(7, 13)]
            [Tanh]
            [Linear(13, 5)]
            [Sigmoid]
            [Linear(5, 3)]
            public partial class TanhSigmoidNet;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        Snapshot.VerifyGeneratedSources(run);
    }

    /// <summary>The Fashion-MNIST MLP: both Linear layers exceed the unroll limit and take the SIMD path.</summary>
    [Fact]
    public void MnistNet()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            [Linear(784, 128)]
            [ReLU]
            [Linear(128, 10)]
            public partial class MnistNet;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        string source = run.Source("MyApp.MnistNet.g.cs");
        // One set of tiled kernels per shape, generic over the vector width: the 784 → 128 layer's forward through its
        // transposed weight (packed in panels by Transposition each pass, each part its own panels) in tiles of 8 × 3
        // vectors where 32 registers allow, else 4 × 3, storing max(0, y) for the ReLU after it; the 128 → 10 layer's
        // forward along the weight's rows. The 784 → 128 layer's input gradient (dLoss/dinputs) runs only when the caller
        // asked for it.
        Assert.Contains("public static void ForwardTransposedReLU784x128(", source);
        Assert.Contains("V.Store(V.Max(c00, V.Zero), ref y, 0);", source);
        Assert.Contains("Transposition.ToPanels(ref Parameter(Weight0), 784, ref First(_weightT0), V.Count, first, end);", source);
        Assert.Contains("private static void ForwardTransposedReLU784x128Tile8x3(", source);
        Assert.Contains("if (V.Registers >= 32)", source);
        Assert.Contains("public static void Forward128x10(", source);
        Assert.Contains("private static void WeightGradient784x128Tile4x3(", source);
        Assert.Contains("if (InputGradientRequested)", source);
        Assert.Contains("Run(WorkLinear0InputGradient, batch * 100352L);", source);
        Assert.Contains("public static void InputGradient128x10(", source);
        Assert.DoesNotContain("V512", source);
        Snapshot.VerifyGeneratedSources(run);
    }

    /// <summary>LeakyReLU with an explicit slope and with PyTorch's default (0.01).</summary>
    [Fact]
    public void LeakyReLU_net()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            [Linear(6, 8)]
            [LeakyReLU(0.2f)]
            [Linear(8, 8)]
            [LeakyReLU]
            [Linear(8, 2)]
            public partial class LeakyNet;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        string source = run.Source("MyApp.LeakyNet.g.cs");
        Assert.Contains("x * V.Create(0.2f)", source);
        Assert.Contains("x * V.Create(0.01f)", source);
        Snapshot.VerifyGeneratedSources(run);
    }

    /// <summary>GELU and SiLU: their table rows in one-sample registers, batched vector loops and backward.</summary>
    [Fact]
    public void Gelu_silu_net()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            [Linear(4, 6)]
            [GELU]
            [Linear(6, 5)]
            [SiLU]
            [Linear(5, 2)]
            public partial class GeluNet;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        string source = run.Source("MyApp.GeluNet.g.cs");
        Assert.Contains("h1_0 = h0_0 * SimdMath.NormalCdf(h0_0);", source);
        Assert.Contains("V s = SimdMath.Sigmoid(x);", source);
        Snapshot.VerifyGeneratedSources(run);
    }

    /// <summary>Dropout: its mask buffer, the generator seeded in the constructor, identity for one sample in registers.</summary>
    [Fact]
    public void Dropout_net()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            [Linear(4, 6)]
            [ReLU]
            [Dropout(0.2f)]
            [Linear(6, 2)]
            public partial class DropoutNet;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        string source = run.Source("MyApp.DropoutNet.g.cs");
        Assert.Contains("UseDropout(seed);", source);
        Assert.Contains("generator.Fill(new Span<float>(_mask2, 0, batch * 6), 0.2f);", source);
        Assert.Contains("LayerInfo.Dropout(0.2f)", source);
        Snapshot.VerifyGeneratedSources(run);
    }

    /// <summary>Convolution (padding, stride), max and average pooling, Flatten: direct loops with constant sizes.</summary>
    [Fact]
    public void Conv_net()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            [Input(1, 8, 8)]
            [Conv2d(1, 2, 3, padding: 1)]
            [ReLU]
            [MaxPool2d(2)]
            [Conv2d(2, 3, 3, stride: 2)]
            [AvgPool2d(1)]
            [Flatten]
            [Linear(3, 2)]
            public partial class ConvNet;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        string source = run.Source("MyApp.ConvNet.g.cs");
        Assert.Contains("private static void Conv0Unfold(ref float x, ref float columns, ref float padded)", source);
        Assert.Contains("private static void MaxPool2KeepingMaxima(ref float x, ref float y, ref float maxima)", source);
        Assert.Contains("V.LoadPairs(ref window, 0, count, out V x0_0, out V x0_1);", source);
        Assert.Contains("Kernels<V>.Conv2x9x64(ref Parameter(Weight0), ref columns, ref Parameter(Bias0)", source);
        Assert.Contains("then folded back (col2im): dLoss/dx gets each value where its column read it (dLoss/dinputs: only when asked for)", source);
        Snapshot.VerifyGeneratedSources(run);
    }

    /// <summary>Batch normalization of an image and of features: buffers, their constants, the training and evaluation paths.</summary>
    [Fact]
    public void Batch_norm_net()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            [Input(1, 6, 6)]
            [Conv2d(1, 2, 3)]
            [BatchNorm2d(2)]
            [ReLU]
            [Flatten]
            [Linear(32, 4)]
            [BatchNorm1d(4, momentum: 0.2f)]
            [Linear(4, 2)]
            public partial class NormNet;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        string source = run.Source("MyApp.NormNet.g.cs");
        Assert.Contains("UseBatchNorm(12, 2, valuesPerChannel: 1);", source);
        Assert.Contains("new(\"1.num_batches_tracked\", Workspace.BatchesTracked1, BufferDtype.Int64),", source);
        Assert.Contains("LayerInfo.BatchNorm(LayerKind.BatchNorm2d, 2, 1E-05f, 0.1f)", source);
        Snapshot.VerifyGeneratedSources(run);
    }

    /// <summary>Conv1d and both 1-D poolings over a sequence: the same loops as 2-D without the rows.</summary>
    [Fact]
    public void Conv1d_net()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            [Input(2, 12)]
            [Conv1d(2, 3, 3, padding: 1)]
            [MaxPool1d(2)]
            [Conv1d(3, 4, 3, stride: 2)]
            [AvgPool1d(2, 1)]
            [Flatten]
            [Linear(4, 2)]
            public partial class SignalNet;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        string source = run.Source("MyApp.SignalNet.g.cs");
        Assert.Contains("//   y[o, j] = bias[o] + Σ_c Σ_v weight[o, c, v] · x[c, j - 1 + v], x zero outside its 12", source);
        Assert.Contains("new(\"0.weight\", Workspace.Weight0, 3, 2, 3),", source);
        Snapshot.VerifyGeneratedSources(run);
    }

    /// <summary>A network in the global namespace: no namespace block, hint name without a prefix.</summary>
    [Fact]
    public void Global_namespace()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            [Linear(3, 4)]
            [ReLU]
            [Linear(4, 2)]
            public partial class Net;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        Assert.Equal(new[] { "Net.g.cs" }, run.GeneratedSources.Select(s => s.HintName));
        Snapshot.VerifyGeneratedSources(run);
    }

    /// <summary>A network nested in a partial class: the generated file reopens the container.</summary>
    [Fact]
    public void Nested_in_partial_class()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            /// <summary>A container, documented so the compilation has no CS1591 of its own.</summary>
            public static partial class Outer
            {
                [Linear(3, 4)]
                [ReLU]
                [Linear(4, 2)]
                public partial class Net;
            }
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        Assert.Equal(new[] { "MyApp.Outer.Net.g.cs" }, run.GeneratedSources.Select(s => s.HintName));
        Snapshot.VerifyGeneratedSources(run);
    }

    /// <summary>A final activation: a CN0006 warning, and backward starts from the kept activation output.</summary>
    [Fact]
    public void Ends_with_activation()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            [Linear(5, 4)]
            [ReLU]
            [Linear(4, 3)]
            [Sigmoid]
            public partial class Net;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run, "CN0006");
        Snapshot.VerifyGeneratedSources(run);
    }

    /// <summary>Hidden activations of 2 × 20000 floats: one sample runs through kernels in buffers of a thread's workspace, not on the stack.</summary>
    [Fact]
    public void Inference_buffers_on_heap()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            [Linear(4, 20000)]
            [ReLU]
            [Linear(20000, 2)]
            public partial class WideNet;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        string source = run.Source("MyApp.WideNet.g.cs");
        // The only stack buffer is the weight gradient's: a tile's sums, one vector per input (4 here, at most 12), never
        // anything sized by the 20000 outputs.
        var stackBuffers = System.Text.RegularExpressions.Regex.Matches(source, @"stackalloc [^;]*;").Select(m => m.Value).Distinct();
        Assert.Equal(["stackalloc float[8 * V.Count];"], stackBuffers);
        Assert.Contains("protected readonly float[] _sample0 = new float[20000 + Padding];", source);
        Snapshot.VerifyGeneratedSources(run);
    }
}
