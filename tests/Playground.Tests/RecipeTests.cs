using System;
using System.IO;
using System.Linq;
using CompiledNets;
using Playground;
using Xunit;

namespace Playground.Tests;

/// <summary>The playground's training run in process: each network learns its task, runs repeat bit for bit, bad settings are refused.</summary>
public sealed class RecipeTests
{
    [Theory]
    [InlineData(NetworkChoice.SeedNet, 10, 0.85)]
    [InlineData(NetworkChoice.DigitsMlp, 3, 0.9)]
    [InlineData(NetworkChoice.DigitsCnn, 3, 0.85)]
    public void Each_network_learns_its_task_in_a_few_epochs(NetworkChoice network, int epochs, double accuracy)
    {
        var run = new TrainingRun(TrainingSettings.Default(network) with { Epochs = epochs });
        var reports = run.RunToEnd();
        Assert.Equal(epochs, reports.Count);
        Assert.True(reports[^1].TrainLoss < reports[0].TrainLoss, $"train loss {reports[0].TrainLoss} -> {reports[^1].TrainLoss}");
        Assert.True(reports[^1].TestAccuracy >= accuracy, $"test accuracy {reports[^1].TestAccuracy:P1}, expected at least {accuracy:P0}");
        Assert.Equal(run.RawTest.Count, reports[^1].Matrix.Total);
    }

    [Fact]
    public void The_same_settings_give_the_same_bits()
    {
        var settings = TrainingSettings.Default(NetworkChoice.DigitsCnn) with { Epochs = 2, Optimizer = OptimizerChoice.Adam };
        var first = new TrainingRun(settings);
        var second = new TrainingRun(settings);
        float[] a = first.RunToEnd().Select(r => r.TrainLoss).ToArray();
        float[] b = second.RunToEnd().Select(r => r.TrainLoss).ToArray();
        Assert.Equal(a, b);
        Assert.Equal(first.ParameterChecksum(), second.ParameterChecksum());
    }

    [Fact]
    public void Settings_outside_the_offered_ones_are_refused_before_any_data_is_read()
    {
        var batch = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingRun(TrainingSettings.Default(NetworkChoice.DigitsMlp) with { BatchSize = 30 }));
        Assert.Contains("8, 16, 32, 64, 128", batch.Message);
        Assert.Contains("30", batch.Message);
        var epochs = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingRun(TrainingSettings.Default(NetworkChoice.DigitsMlp) with { Epochs = 0 }));
        Assert.Contains("at least 1 epoch", epochs.Message);
    }

    [Fact]
    public void The_digit_pad_goes_through_the_same_preparation_as_the_test_part()
    {
        // A raw test image, prepared by the run, gives the same logits as the prepared row the test loader feeds.
        var run = new TrainingRun(TrainingSettings.Default(NetworkChoice.DigitsMlp) with { Epochs = 1 });
        run.RunToEnd();
        float[] probabilities = run.Probabilities(run.RawTest.Row(0).ToArray());
        Assert.Equal(10, probabilities.Length);
        Assert.InRange(probabilities.Sum(), 0.999f, 1.001f);
        int predicted = Array.IndexOf(probabilities, probabilities.Max());
        Assert.InRange(predicted, 0, 9);
    }

    [Theory]
    [InlineData(typeof(SeedNet))]
    [InlineData(typeof(DigitsMlp))]
    [InlineData(typeof(DigitsCnn))]
    public void The_generated_source_has_a_section_for_the_table_and_for_every_layer(Type network)
    {
        // The file Playground.Core's build of this configuration wrote (the browser app embeds the same file); the test assembly
        // lives in bin/<configuration>/net10.0.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        string directory = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "samples", "Playground.Core", "obj", configuration, "generated");
        string path = Directory.GetFiles(directory, GeneratedSource.FileNameOf(network), SearchOption.AllDirectories).Single();
        GeneratedSource source = GeneratedSource.Parse(Path.GetFileName(path), File.ReadAllText(path));
        var layers = ((System.Collections.Generic.IReadOnlyList<LayerInfo>)network.GetProperty("Layers")!.GetValue(null)!).Count;
        GeneratedSource.Section table = Assert.Single(source.Sections, s => s.Id == "table");
        Assert.Contains("Layer  Module", table.Text);
        for (int i = 0; i < layers; i++)
        {
            Assert.Contains(source.Sections, s => s.Id == $"layer-{i}" && s.Text.Contains("Forward") && s.Text.Contains("Backward"));
        }
        Assert.Contains(source.Sections, s => s.Id == "kernels" && s.Text.Contains("internal static class Kernels<V>"));
        // Cutting loses no line.
        Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n"), string.Join("\n", source.Sections.Select(s => s.Text)));
    }
}
