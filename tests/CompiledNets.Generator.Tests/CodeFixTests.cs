using System.Linq;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using CompiledNets.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CompiledNets.Generator.Tests;

/// <summary>
/// The IDE's fixes for layer diagnostics (CN0001), run by Roslyn's code-fix test harness as Visual Studio runs them:
/// the analyzer reports the diagnostic on the attribute, the fix rewrites the argument, and the fixed code has no
/// diagnostic left.
/// </summary>
public class CodeFixTests
{
    private static CSharpCodeFixTest<NetworkAnalyzer, AttributeArgumentFixProvider, DefaultVerifier> Test(string source, string fixedSource)
    {
        var test = new CSharpCodeFixTest<NetworkAnalyzer, AttributeArgumentFixProvider, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            // The net10.0 reference assemblies come from Basic.Reference.Assemblies, so nothing is downloaded.
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        foreach (var state in new[] { test.TestState, test.FixedState })
        {
            state.AdditionalReferences.AddRange(Net100.References.All);
            state.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(INetwork).Assembly.Location));
        }
        return test;
    }

    [Fact]
    public async Task CN0001_is_fixed_by_taking_the_size_the_layer_before_produces()
    {
        await Test("""
            using CompiledNets;

            [Linear(10, 20)]
            [ReLU]
            [{|CN0001:Linear(30, 2)|}]
            internal partial class Net;
            """, """
            using CompiledNets;

            [Linear(10, 20)]
            [ReLU]
            [Linear(20, 2)]
            internal partial class Net;
            """).RunAsync();
    }

    [Fact]
    public async Task Every_mismatch_is_fixed_and_a_named_argument_keeps_its_name()
    {
        var test = Test("""
            using CompiledNets;

            [Linear(10, 20)]
            [{|CN0001:Linear(inFeatures: 30, outFeatures: 5)|}]
            [Tanh]
            [{|CN0001:Linear(7, 1)|}]
            internal partial class Net;
            """, """
            using CompiledNets;

            [Linear(10, 20)]
            [Linear(inFeatures: 20, outFeatures: 5)]
            [Tanh]
            [Linear(5, 1)]
            internal partial class Net;
            """);
        await test.RunAsync();
    }

    [Fact]
    public async Task CN0021_and_CN0024_are_fixed_with_the_sizes_the_shapes_give()
    {
        await Test("""
            using CompiledNets;

            [Input(1, 28, 28)]
            [{|CN0024:Conv2d(3, 6, 5, 1, 2)|}]
            [MaxPool2d(2)]
            [Conv2d(6, 16, 5)]
            [MaxPool2d(2)]
            [Flatten]
            [{|CN0021:Linear(256, 84)|}]
            [ReLU]
            [Linear(84, 10)]
            internal partial class LeNet;
            """, """
            using CompiledNets;

            [Input(1, 28, 28)]
            [Conv2d(1, 6, 5, 1, 2)]
            [MaxPool2d(2)]
            [Conv2d(6, 16, 5)]
            [MaxPool2d(2)]
            [Flatten]
            [Linear(400, 84)]
            [ReLU]
            [Linear(84, 10)]
            internal partial class LeNet;
            """).RunAsync();
    }

    [Fact]
    public async Task CN0028_is_fixed_with_the_channels_or_features_that_arrive()
    {
        await Test("""
            using CompiledNets;

            [Input(1, 12, 12)]
            [Conv2d(1, 6, 3)]
            [{|CN0028:BatchNorm2d(8)|}]
            [Flatten]
            [Linear(600, 10)]
            [{|CN0028:BatchNorm1d(12, momentum: 0.2f)|}]
            [Linear(10, 2)]
            internal partial class NormNet;
            """, """
            using CompiledNets;

            [Input(1, 12, 12)]
            [Conv2d(1, 6, 3)]
            [BatchNorm2d(6)]
            [Flatten]
            [Linear(600, 10)]
            [BatchNorm1d(10, momentum: 0.2f)]
            [Linear(10, 2)]
            internal partial class NormNet;
            """).RunAsync();
    }

    [Fact]
    public async Task CN0029_is_fixed_by_the_layer_of_the_other_kind_its_arguments_kept()
    {
        await Test("""
            using CompiledNets;

            [Input(1, 12, 12)]
            [{|CN0029:Conv1d(1, 6, 3, padding: 1)|}]
            [Flatten]
            [Linear(864, 2)]
            internal partial class ImageNet;

            [Input(1, 12, 12)]
            [Conv2d(1, 6, 3)]
            [{|CN0029:BatchNorm1d(6, momentum: 0.2f)|}]
            [Flatten]
            [Linear(600, 2)]
            internal partial class NormNet;

            [Input(2, 8, 8)]
            [{|CN0029:CompiledNets.MaxPool1dAttribute(2)|}]
            [Flatten]
            [Linear(32, 2)]
            internal partial class PoolNet;

            [Linear(4, 10)]
            [{|CN0029:BatchNorm2d(10)|}]
            [Linear(10, 2)]
            internal partial class FeatureNet;

            [Input(3, 20)]
            [{|CN0029:AvgPool2d(2)|}]
            [Flatten]
            [Linear(30, 2)]
            internal partial class SignalNet;
            """, """
            using CompiledNets;

            [Input(1, 12, 12)]
            [Conv2d(1, 6, 3, padding: 1)]
            [Flatten]
            [Linear(864, 2)]
            internal partial class ImageNet;

            [Input(1, 12, 12)]
            [Conv2d(1, 6, 3)]
            [BatchNorm2d(6, momentum: 0.2f)]
            [Flatten]
            [Linear(600, 2)]
            internal partial class NormNet;

            [Input(2, 8, 8)]
            [CompiledNets.MaxPool2dAttribute(2)]
            [Flatten]
            [Linear(32, 2)]
            internal partial class PoolNet;

            [Linear(4, 10)]
            [BatchNorm1d(10)]
            [Linear(10, 2)]
            internal partial class FeatureNet;

            [Input(3, 20)]
            [AvgPool1d(2)]
            [Flatten]
            [Linear(30, 2)]
            internal partial class SignalNet;
            """).RunAsync();
    }

    [Fact]
    public async Task Named_arguments_in_any_order_get_the_parameter_the_message_means()
    {
        await Test("""
            using CompiledNets;

            [Input(3, 8, 8)]
            [{|CN0024:Conv2d(outChannels: 8, inChannels: 1, kernelSize: 3)|}]
            [Flatten]
            [Linear(288, 20)]
            [{|CN0001:Linear(outFeatures: 5, inFeatures: 30)|}]
            internal partial class Net;
            """, """
            using CompiledNets;

            [Input(3, 8, 8)]
            [Conv2d(outChannels: 8, inChannels: 3, kernelSize: 3)]
            [Flatten]
            [Linear(288, 20)]
            [Linear(outFeatures: 5, inFeatures: 20)]
            internal partial class Net;
            """).RunAsync();
    }

    [Fact]
    public async Task The_fix_is_offered_under_the_title_the_message_suggests()
    {
        var test = Test("""
            using CompiledNets;

            [Linear(3, 8)]
            [{|CN0001:Linear(4, 2)|}]
            internal partial class Net;
            """, """
            using CompiledNets;

            [Linear(3, 8)]
            [Linear(8, 2)]
            internal partial class Net;
            """);
        test.CodeActionEquivalenceKey = AttributeArgumentFixProvider.EquivalenceKey;
        test.CodeActionVerifier = (action, verifier) => verifier.Equal("Use Linear(8, 2)", action.Title);
        await test.RunAsync();
    }
}
