using System;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>The Dataset type: validation, rows, subsets, scaling, and the embedded digits set.</summary>
public sealed class DatasetTests
{
    private static Dataset Small() => new([1, 2, 3, 4, 5, 6], [0, 2, 1], featureCount: 2, classCount: 3, ["cat", "dog", "bird"]);

    [Fact]
    public void Exposes_rows_labels_and_class_names()
    {
        Dataset data = Small();
        Assert.Equal(3, data.Count);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal(3, data.ClassCount);
        Assert.Equal(["cat", "dog", "bird"], data.ClassNames);
        Assert.Equal([3f, 4f], data.Row(1).ToArray());
        Assert.Equal([0, 2, 1], data.Labels.ToArray());
        Assert.Equal(["0", "1", "2", "3"], new Dataset([], [], 5, 4).ClassNames);
    }

    [Fact]
    public void Class_names_are_copied()
    {
        string[] names = ["a", "b"];
        var data = new Dataset([0f], [1], 1, 2, names);
        names[0] = "changed";
        Assert.Equal("a", data.ClassNames[0]);
    }

    [Fact]
    public void Bad_arguments_name_the_argument_the_expected_and_the_actual_value()
    {
        var features = Assert.Throws<ArgumentException>(() => new Dataset(new float[7], new int[3], 2, 3));
        Assert.Equal("features", features.ParamName);
        Assert.Contains("Expected 6 features (3 labels × featureCount 2) but got 7.", features.Message);

        var label = Assert.Throws<ArgumentException>(() => new Dataset(new float[3], [0, 3, 1], 1, 3));
        Assert.Equal("labels", label.ParamName);
        Assert.Contains("Expected every label in [0, 3) (classCount = 3) but labels[1] = 3.", label.Message);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => new Dataset(new float[1], [-1], 1, 3)).ParamName);

        var featureCount = Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset([], [], 0, 3));
        Assert.Equal("featureCount", featureCount.ParamName);
        Assert.Contains("Expected featureCount >= 1 but got 0.", featureCount.Message);
        Assert.Equal("classCount", Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset([], [], 1, 0)).ParamName);

        var names = Assert.Throws<ArgumentException>(() => new Dataset([], [], 1, 3, ["a", "b"]));
        Assert.Equal("classNames", names.ParamName);
        Assert.Contains("Expected 3 class names (one per class) but got 2.", names.Message);
        Assert.Equal("classNames", Assert.Throws<ArgumentException>(() => new Dataset([], [], 1, 2, ["a", null!])).ParamName);

        Assert.Equal("features", Assert.Throws<ArgumentNullException>(() => new Dataset(null!, [], 1, 1)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentNullException>(() => new Dataset([], null!, 1, 1)).ParamName);
    }

    [Fact]
    public void Row_and_Subset_check_indices()
    {
        Dataset data = Small();
        var row = Assert.Throws<ArgumentOutOfRangeException>(() => data.Row(3));
        Assert.Equal("index", row.ParamName);
        Assert.Contains("Expected an index in [0, 3) but got 3.", row.Message);
        var subset = Assert.Throws<ArgumentOutOfRangeException>(() => data.Subset([0, -1]));
        Assert.Equal("indices", subset.ParamName);
        Assert.Contains("Expected every index in [0, 3) but indices[1] = -1.", subset.Message);
    }

    [Fact]
    public void Subset_copies_rows_in_the_given_order_and_keeps_the_classes()
    {
        Dataset data = Small();
        Dataset subset = data.Subset([2, 0, 2]);
        Assert.Equal([5f, 6f, 1f, 2f, 5f, 6f], subset.Features.ToArray());
        Assert.Equal([1, 0, 1], subset.Labels.ToArray());
        Assert.Equal(data.ClassNames, subset.ClassNames);
        Assert.Equal(3, subset.ClassCount);
        Assert.Equal(0, data.Subset([]).Count);
    }

    [Fact]
    public void Scale_returns_a_new_dataset_and_leaves_the_original()
    {
        Dataset data = Small();
        Dataset scaled = data.Scale(0.5f);
        Assert.Equal([0.5f, 1f, 1.5f, 2f, 2.5f, 3f], scaled.Features.ToArray());
        Assert.Equal(data.Labels.ToArray(), scaled.Labels.ToArray());
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], data.Features.ToArray());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => data.Scale(float.NaN));
        Assert.Equal("factor", error.ParamName);
    }

    [Fact]
    public void LoadDigits_is_the_embedded_1797_by_64_set_with_10_balanced_classes()
    {
        Assert.Contains("CompiledNets.Data.digits.csv.gz", typeof(Dataset).Assembly.GetManifestResourceNames());
        Dataset digits = Datasets.LoadDigits();
        Assert.Equal(1797, digits.Count);
        Assert.Equal(64, digits.FeatureCount);
        Assert.Equal(10, digits.ClassCount);
        Assert.Equal(Enumerable.Range(0, 10).Select(c => c.ToString()), digits.ClassNames);
        int[] perClass = new int[10];
        foreach (int label in digits.Labels) perClass[label]++;
        Assert.All(perClass, count => Assert.InRange(count, 170, 190));
        foreach (float value in digits.Features)
        {
            Assert.InRange(value, 0f, 16f);
            Assert.Equal(MathF.Round(value), value);
        }
        // The first row of the file: a 0.
        Assert.Equal([0f, 0f, 5f, 13f, 9f, 1f, 0f, 0f], digits.Row(0)[..8].ToArray());
        Assert.Equal(0, digits.Labels[0]);
        Assert.Equal(1, digits.Labels[1]);
    }
}
