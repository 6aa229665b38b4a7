using System;
using System.Collections.Generic;

namespace CompiledNets;

/// <summary>The points of a ROC curve, as <c>sklearn.metrics.roc_curve</c> returns them.</summary>
/// <param name="FalsePositiveRates">fpr, rising from 0 to 1.</param>
/// <param name="TruePositiveRates">tpr, rising from 0 to 1.</param>
/// <param name="Thresholds">The score at or above which a sample is called positive at each point; the first is the largest score + 1.</param>
public sealed record RocCurve(double[] FalsePositiveRates, double[] TruePositiveRates, double[] Thresholds);

/// <summary>Metrics of a binary task from labels 0/1 and a score per sample (a logit or a probability), as scikit-learn computes them.</summary>
public static class BinaryMetrics
{
    /// <summary>
    /// <c>roc_auc_score</c>: the area under the ROC curve by the trapezoidal rule, tied scores forming one step (so a tie
    /// between a positive and a negative counts one half).
    /// </summary>
    public static double RocAuc(ReadOnlySpan<int> labels, ReadOnlySpan<float> scores)
    {
        var (fps, tps, _) = Steps(labels, scores, nameof(RocAuc));
        double positives = tps[^1], negatives = fps[^1];
        double area = 0, fPrevious = 0, tPrevious = 0;
        for (int i = 0; i < fps.Count; i++)
        {
            area += (fps[i] - fPrevious) * (tps[i] + tPrevious) / 2;
            fPrevious = fps[i];
            tPrevious = tps[i];
        }
        return area / (positives * negatives);
    }

    /// <summary>
    /// <c>roc_curve</c> with <c>drop_intermediate=True</c>: one point per distinct score (highest first), without the points
    /// that lie on a straight segment, after a first point (0, 0) at the largest score + 1.
    /// </summary>
    public static RocCurve RocCurve(ReadOnlySpan<int> labels, ReadOnlySpan<float> scores)
    {
        var (fps, tps, thresholds) = Steps(labels, scores, nameof(RocCurve));
        // Keep the ends and every point where the curve bends (a nonzero second difference in fps or tps).
        var keep = new List<int>();
        for (int i = 0; i < fps.Count; i++)
        {
            bool end = i == 0 || i == fps.Count - 1;
            if (end || fps[i - 1] - 2 * fps[i] + fps[i + 1] != 0 || tps[i - 1] - 2 * tps[i] + tps[i + 1] != 0)
            {
                keep.Add(i);
            }
        }
        int n = keep.Count + 1;
        var fpr = new double[n];
        var tpr = new double[n];
        var threshold = new double[n];
        threshold[0] = thresholds[keep[0]] + 1;
        for (int k = 0; k < keep.Count; k++)
        {
            fpr[k + 1] = fps[keep[k]] / fps[^1];
            tpr[k + 1] = tps[keep[k]] / tps[^1];
            threshold[k + 1] = thresholds[keep[k]];
        }
        return new RocCurve(fpr, tpr, threshold);
    }

    /// <summary>
    /// The classification report of the predictions <c>score ≥ threshold</c> (class 1) against <paramref name="labels"/>,
    /// as <c>classification_report(y_true, y_score &gt;= threshold)</c>: 0.5 for probabilities, 0 for logits.
    /// </summary>
    public static ClassificationReport ReportAtThreshold(ReadOnlySpan<int> labels, ReadOnlySpan<float> scores, float threshold, IReadOnlyList<string>? classNames = null)
    {
        CheckInputs(labels, scores);
        if (!float.IsFinite(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "Expected a finite threshold.");
        var predicted = new int[labels.Length];
        for (int i = 0; i < predicted.Length; i++)
        {
            predicted[i] = scores[i] >= threshold ? 1 : 0;
        }
        var matrix = new ConfusionMatrix(2);
        matrix.Add(predicted, labels);
        return ClassificationReport.From(matrix, classNames);
    }

    /// <summary>Cumulative false and true positives at each distinct score, highest score first.</summary>
    private static (List<double> Fps, List<double> Tps, List<double> Thresholds) Steps(ReadOnlySpan<int> labels, ReadOnlySpan<float> scores, string metric)
    {
        CheckInputs(labels, scores);
        int positives = 0;
        foreach (int label in labels) positives += label;
        if (positives == 0 || positives == labels.Length)
        {
            throw new ArgumentException(
                $"Only one class present in the labels ({(positives == 0 ? 0 : 1)}): {metric} is not defined in that case.", nameof(labels));
        }
        int[] order = new int[labels.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        float[] keys = scores.ToArray();
        // Highest score first; a stable order among ties does not matter, they form one step.
        Array.Sort(keys, order, Comparer<float>.Create(static (a, b) => b.CompareTo(a)));
        var fps = new List<double>();
        var tps = new List<double>();
        var thresholds = new List<double>();
        double tp = 0, fp = 0;
        for (int i = 0; i < order.Length; i++)
        {
            if (labels[order[i]] == 1) tp++;
            else fp++;
            if (i == order.Length - 1 || keys[i + 1] != keys[i])
            {
                fps.Add(fp);
                tps.Add(tp);
                thresholds.Add(keys[i]);
            }
        }
        return (fps, tps, thresholds);
    }

    private static void CheckInputs(ReadOnlySpan<int> labels, ReadOnlySpan<float> scores)
    {
        if (labels.Length == 0) throw new ArgumentException("Expected at least one label but got none.", nameof(labels));
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"Expected {labels.Length} scores, one per label, but got {scores.Length}.", nameof(scores));
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0 or 1))
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"Expected binary labels 0 or 1 but labels[{i}] = {labels[i]}.");
            }
        }
        FiniteCheck.ThrowIfNotFinite(scores, 1, nameof(scores));
    }
}
