using System;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>Counting, orientation, validation and the text table of <see cref="ConfusionMatrix"/>.</summary>
public sealed class ConfusionMatrixTests
{
    [Fact]
    public void Rows_are_true_classes_and_columns_predictions()
    {
        ConfusionMatrix matrix = MetricsExample.Matrix();

        Assert.Equal(3, matrix.ClassCount);
        Assert.Equal(10, matrix.Total);
        Assert.Equal(MetricsExample.Expected, MetricsExample.Counts(matrix));
        // The one dog predicted as cat sits in row dog, column cat; nothing is in row cat, column dog.
        Assert.Equal(1, matrix[1, 0]);
        Assert.Equal(0, matrix[0, 1]);
    }

    [Fact]
    public void Counts_accumulate_across_batches()
    {
        var matrix = new ConfusionMatrix(3);
        matrix.Add(MetricsExample.Predicted.AsSpan(0, 4), MetricsExample.Labels.AsSpan(0, 4));
        matrix.Add(MetricsExample.Predicted.AsSpan(4), MetricsExample.Labels.AsSpan(4));
        matrix.Add([], []);

        Assert.Equal(MetricsExample.Expected, MetricsExample.Counts(matrix));
        Assert.Equal(10, matrix.Total);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void A_label_out_of_range_is_rejected_and_nothing_is_counted(int bad)
    {
        ConfusionMatrix matrix = MetricsExample.Matrix();
        int[] labels = [0, 1, bad, 2];

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add([0, 1, 2, 2], labels));

        Assert.Equal("labels", error.ParamName);
        Assert.Equal(bad, error.ActualValue);
        Assert.Contains($"Expected every class in [0, 3) but labels[2] = {bad}.", error.Message);
        Assert.Equal(MetricsExample.Expected, MetricsExample.Counts(matrix));
        Assert.Equal(10, matrix.Total);
    }

    [Fact]
    public void A_prediction_out_of_range_is_rejected_and_nothing_is_counted()
    {
        ConfusionMatrix matrix = MetricsExample.Matrix();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add([0, 1, 2, 7], [0, 1, 2, 2]));

        Assert.Equal("predicted", error.ParamName);
        Assert.Contains("predicted[3] = 7", error.Message);
        Assert.Equal(MetricsExample.Expected, MetricsExample.Counts(matrix));
        Assert.Equal(10, matrix.Total);
    }

    [Fact]
    public void Lengths_that_differ_are_rejected_and_nothing_is_counted()
    {
        ConfusionMatrix matrix = MetricsExample.Matrix();

        var error = Assert.Throws<ArgumentException>(() => matrix.Add([0, 1, 2], [0, 1]));

        Assert.Equal("labels", error.ParamName);
        Assert.Contains("Expected 3 labels (one per prediction) but got 2.", error.Message);
        Assert.Equal(MetricsExample.Expected, MetricsExample.Counts(matrix));
        Assert.Equal(10, matrix.Total);
    }

    [Fact]
    public void Class_count_and_indices_are_checked()
    {
        Assert.Equal("classCount", Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(0)).ParamName);
        foreach (int tooMany in new[] { 46_341, 50_000, 65_536, int.MaxValue })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(tooMany));
            Assert.Equal("classCount", error.ParamName);
            Assert.Contains($"Expected classCount in [1, 46340]", error.Message);
            Assert.Contains($"got {tooMany}", error.Message);
        }
        var largest = new ConfusionMatrix(ConfusionMatrix.MaxClassCount);
        largest.Add([ConfusionMatrix.MaxClassCount - 1], [ConfusionMatrix.MaxClassCount - 1]);
        Assert.Equal(1, largest[ConfusionMatrix.MaxClassCount - 1, ConfusionMatrix.MaxClassCount - 1]);
        ConfusionMatrix matrix = MetricsExample.Matrix();
        Assert.Equal("actual", Assert.Throws<ArgumentOutOfRangeException>(() => matrix[3, 0]).ParamName);
        Assert.Equal("predicted", Assert.Throws<ArgumentOutOfRangeException>(() => matrix[0, -1]).ParamName);
    }

    [Fact]
    public void Text_table_has_names_as_row_and_column_headers()
    {
        ConfusionMatrix matrix = MetricsExample.Matrix();

        Assert.Equal(
            "true \\ predicted  cat  dog  bird\n" +
            "             cat    3    0     1\n" +
            "             dog    1    0     1\n" +
            "            bird    0    0     4\n",
            matrix.ToString(MetricsExample.Names));
    }

    [Fact]
    public void Text_table_widens_a_column_for_its_largest_count_and_defaults_to_indices()
    {
        var matrix = new ConfusionMatrix(2);
        matrix.Add(new int[1234], new int[1234]);
        matrix.Add([0], [1]);

        Assert.Equal(
            "true \\ predicted     0  1\n" +
            "               0  1234  0\n" +
            "               1     1  0\n",
            matrix.ToString());
        Assert.Equal(matrix.ToString(), matrix.ToString(null));
    }

    [Fact]
    public void Text_table_needs_one_name_per_class()
    {
        ConfusionMatrix matrix = MetricsExample.Matrix();
        var error = Assert.Throws<ArgumentException>(() => matrix.ToString(["cat", "dog"]));
        Assert.Equal("classNames", error.ParamName);
        Assert.Contains("Expected 3 class names (one per class) but got 2.", error.Message);
    }
}
