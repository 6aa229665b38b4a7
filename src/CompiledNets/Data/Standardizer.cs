using System;

namespace CompiledNets;

/// <summary>
/// Standardization like scikit-learn's <c>StandardScaler</c>: <c>z = (x − mean) / std</c> per feature,
/// with the mean and the population standard deviation (<c>ddof = 0</c>, <c>√(Σ(x − mean)² / N)</c>)
/// of the training split.
/// </summary>
/// <remarks>
/// Fit on the training part only and transform every part with those statistics; fitting on all the
/// data would leak the validation and test distributions into training. A feature that is constant
/// on the training part gets the scale 1 (as scikit-learn does), so it becomes <c>x − mean</c>
/// instead of a division by zero. Statistics are accumulated in <see cref="double"/> and stored as
/// <see cref="float"/>; both transforms compute <c>(x − Mean[j]) / Std[j]</c> in float with those values.
/// </remarks>
public sealed class Standardizer
{
    private readonly float[] _mean;
    private readonly float[] _std;

    private Standardizer(float[] mean, float[] std)
    {
        _mean = mean;
        _std = std;
    }

    /// <summary>The per-feature mean of the training data (scikit-learn's <c>mean_</c>).</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>
    /// The per-feature divisor (scikit-learn's <c>scale_</c>): the population standard deviation of the
    /// training data, or 1 for a feature that was constant there.
    /// </summary>
    public ReadOnlySpan<float> Std => _std;

    /// <summary>Number of features this standardizer was fitted on.</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>Computes the statistics of <paramref name="train"/>'s features; it must hold at least one sample.</summary>
    public static Standardizer Fit(Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
        {
            throw new ArgumentException("Expected at least one training sample to compute statistics from, but the dataset is empty.", nameof(train));
        }
        return Fit(train.Features, train.FeatureCount, train.Count);
    }

    /// <summary>
    /// Computes the statistics of <paramref name="train"/>'s float targets, for regression on standardized targets
    /// (scikit-learn's <c>StandardScaler().fit(y_train)</c>): <see cref="TransformTargets"/> the datasets, train, and
    /// <see cref="InverseTransform"/> the predictions back to the targets' units.
    /// </summary>
    public static Standardizer FitTargets(Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.HasLabels)
        {
            throw new ArgumentException("Expected a dataset of float targets but this one holds class labels, which are not standardized.", nameof(train));
        }
        if (train.Count == 0)
        {
            throw new ArgumentException("Expected at least one training sample to compute statistics from, but the dataset is empty.", nameof(train));
        }
        return Fit(train.Targets, train.TargetCount, train.Count);
    }

    private static Standardizer Fit(ReadOnlySpan<float> x, int features, int count)
    {
        var sum = new double[features];
        var min = new float[features];
        var max = new float[features];
        x[..features].CopyTo(min);
        x[..features].CopyTo(max);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> row = x.Slice(i * features, features);
            for (int j = 0; j < features; j++)
            {
                sum[j] += row[j];
                min[j] = MathF.Min(min[j], row[j]);
                max[j] = MathF.Max(max[j], row[j]);
            }
        }

        // Two passes (mean, then squared deviations) rather than Σx² − N·mean², which cancels badly.
        var mean = new double[features];
        for (int j = 0; j < features; j++) mean[j] = sum[j] / count;
        var squares = new double[features];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> row = x.Slice(i * features, features);
            for (int j = 0; j < features; j++)
            {
                double d = row[j] - mean[j];
                squares[j] += d * d;
            }
        }

        var meanOut = new float[features];
        var stdOut = new float[features];
        for (int j = 0; j < features; j++)
        {
            // Constant means exactly equal values: rounding in the mean would otherwise leave a tiny, huge-dividing std.
            bool constant = min[j] == max[j];
            meanOut[j] = constant ? min[j] : (float)mean[j];
            stdOut[j] = constant ? 1f : (float)Math.Sqrt(squares[j] / count);
            if (stdOut[j] == 0f) stdOut[j] = 1f; // a spread too small for a float
        }
        return new Standardizer(meanOut, stdOut);
    }

    /// <summary>
    /// A standardizer with statistics saved earlier (its <see cref="Mean"/> and <see cref="Std"/>), like setting
    /// scikit-learn's <c>mean_</c> and <c>scale_</c>: for serving a model with the statistics it was trained with.
    /// </summary>
    public static Standardizer FromStatistics(ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        if (mean.IsEmpty)
        {
            throw new ArgumentException("Expected the mean of at least one feature but got none.", nameof(mean));
        }
        if (std.Length != mean.Length)
        {
            throw new ArgumentException($"Expected {mean.Length} standard deviations (one per mean) but got {std.Length}.", nameof(std));
        }
        for (int j = 0; j < mean.Length; j++)
        {
            if (!float.IsFinite(mean[j]))
            {
                throw new ArgumentException($"Expected finite means but mean[{j}] is {mean[j]}.", nameof(mean));
            }
            if (!float.IsFinite(std[j]) || std[j] <= 0f)
            {
                throw new ArgumentException($"Expected finite standard deviations above 0 but std[{j}] is {std[j]}.", nameof(std));
            }
        }
        return new Standardizer(mean.ToArray(), std.ToArray());
    }

    /// <summary>A new dataset with every row standardized; labels or targets and their names are kept.</summary>
    public Dataset Transform(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.FeatureCount != FeatureCount)
        {
            throw new ArgumentException(
                $"Expected a dataset with {FeatureCount} features (as fitted) but got {dataset.FeatureCount}.", nameof(dataset));
        }
        float[] features = dataset.Features.ToArray();
        for (int i = 0; i < dataset.Count; i++)
        {
            Apply(features.AsSpan(i * FeatureCount, FeatureCount));
        }
        return dataset.WithFeatures(features);
    }

    /// <summary>A new dataset with the float targets standardized (features shared), for a standardizer of <see cref="FitTargets"/>.</summary>
    public Dataset TransformTargets(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.HasLabels || dataset.TargetCount != FeatureCount)
        {
            throw new ArgumentException(
                $"Expected a dataset of {FeatureCount} float target(s) per row (as fitted) but got {(dataset.HasLabels ? "class labels" : $"{dataset.TargetCount}")}.", nameof(dataset));
        }
        float[] targets = dataset.Targets.ToArray();
        for (int i = 0; i < dataset.Count; i++)
        {
            Apply(targets.AsSpan(i * FeatureCount, FeatureCount));
        }
        return dataset.WithTargets(targets);
    }

    /// <summary>
    /// Undoes the standardization in place, <c>x = z · Std[j] + Mean[j]</c>, on rows of <see cref="FeatureCount"/>
    /// values (scikit-learn's <c>inverse_transform</c>): predictions of standardized targets back in the targets' units.
    /// </summary>
    public void InverseTransform(Span<float> values)
    {
        if (values.Length % FeatureCount != 0)
        {
            throw new ArgumentException($"Expected whole rows of {FeatureCount} values (as fitted) but got {values.Length}.", nameof(values));
        }
        for (int i = 0; i < values.Length; i++)
        {
            int j = i % FeatureCount;
            values[i] = values[i] * _std[j] + _mean[j];
        }
    }

    /// <summary>Standardizes one sample in place, e.g. a row to classify after training.</summary>
    public void Transform(Span<float> row)
    {
        if (row.Length != FeatureCount)
        {
            throw new ArgumentException($"Expected a row of {FeatureCount} features (as fitted) but got {row.Length}.", nameof(row));
        }
        Apply(row);
    }

    private void Apply(Span<float> row)
    {
        for (int j = 0; j < row.Length; j++)
        {
            row[j] = (row[j] - _mean[j]) / _std[j];
        }
    }
}
