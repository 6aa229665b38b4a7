using System;
using System.Linq;
using BreastCancer;
using Diabetes;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests;

/// <summary>The regression and binary samples, run as their programs run them: the figures the README quotes.</summary>
public sealed class TaskSampleTests(ITestOutputHelper output)
{
    [Fact]
    public void The_diabetes_regression_sample_explains_half_the_variance_of_the_test_patients()
    {
        var recipe = new DiabetesRecipe();
        TrainingHistory history = recipe.Trainer.Fit(recipe.Train, recipe.Validation, DiabetesRecipe.Epochs, recipe.EarlyStopping);
        var (actual, predicted) = recipe.PredictTest();
        var report = RegressionReport.From(actual, predicted, outputNames: ["progression"]);
        output.WriteLine($"{history.Epochs.Count} epochs, best {history.BestEpoch}; test R² {report.Average.R2Score:F4}, MAE {report.Average.MeanAbsoluteError:F2}, RMSE {report.Average.RootMeanSquaredError:F2}");

        Assert.True(history.StoppedEarly && history.RestoredBestWeights);
        Assert.True(report.Average.R2Score > 0.45, $"test R² {report.Average.R2Score}");
        // Predicting the training mean for everyone would do far worse.
        float mean = recipe.Target.Mean[0];
        double baseline = RegressionMetrics.MeanAbsoluteError(actual, actual.Select(_ => mean).ToArray());
        Assert.True(report.Average.MeanAbsoluteError < 0.8 * baseline, $"MAE {report.Average.MeanAbsoluteError} vs {baseline}");

        // The run is reproducible: the same recipe trains to the same weights.
        var again = new DiabetesRecipe();
        again.Trainer.Fit(again.Train, again.Validation, DiabetesRecipe.Epochs, again.EarlyStopping);
        Assert.Equal(recipe.Network.Parameters.ToArray(), again.Network.Parameters.ToArray());
    }

    [Fact]
    public void The_breast_cancer_binary_sample_ranks_malignant_tumours_first()
    {
        var recipe = new BreastCancerRecipe();
        TrainingHistory history = recipe.Trainer.Fit(recipe.Train, recipe.Validation, BreastCancerRecipe.Epochs, recipe.EarlyStopping);
        var (labels, logits) = recipe.ScoreTest();
        double auc = BinaryMetrics.RocAuc(labels, logits);
        var report = BinaryMetrics.ReportAtThreshold(labels, logits, 0f);
        output.WriteLine($"{history.Epochs.Count} epochs, best {history.BestEpoch}; posWeight {recipe.PosWeight:F4}; test ROC AUC {auc:F4}, accuracy {report.Accuracy:F4}, malignant recall {report.Classes[1].Recall:F4}");

        Assert.Equal(357f / 212f, recipe.PosWeight, 0.05f);
        Assert.True(auc > 0.98, $"ROC AUC {auc}");
        Assert.True(report.Accuracy > 0.93, $"accuracy {report.Accuracy}");
        Assert.True(report.Classes[1].Recall > 0.9, $"malignant recall {report.Classes[1].Recall}");
        Assert.Equal(history.Epochs[history.BestEpoch - 1].ValidationLoss, history.Epochs.Min(e => e.ValidationLoss));
    }

    [Fact]
    public void The_embedded_datasets_are_scikit_learns()
    {
        Dataset diabetes = Datasets.LoadDiabetes();
        Assert.Equal((442, 10, 1), (diabetes.Count, diabetes.FeatureCount, diabetes.TargetCount));
        Assert.Equal(["progression"], diabetes.TargetNames);
        // load_diabetes(scaled=False): first row and target, and the target's range and sum.
        Assert.Equal([59f, 2f, 32.1f, 101f, 157f, 93.2f, 38f, 4f, 4.8598f, 87f], diabetes.Row(0).ToArray());
        Assert.Equal(151f, diabetes.Targets[0]);
        Assert.Equal((25f, 346f), (diabetes.Targets.ToArray().Min(), diabetes.Targets.ToArray().Max()));
        Assert.Equal(67_243d, diabetes.Targets.ToArray().Sum(t => (double)t));

        Dataset cancer = Datasets.LoadBreastCancer();
        Assert.Equal((569, 30, 2), (cancer.Count, cancer.FeatureCount, cancer.ClassCount));
        Assert.Equal(["malignant", "benign"], cancer.ClassNames);
        Assert.Equal(212, cancer.Labels.ToArray().Count(label => label == 0));
        Assert.Equal(17.99f, cancer.Row(0)[0]);
        Dataset malignant = cancer.ToBinaryTargets(0);
        Assert.Equal(["malignant"], malignant.TargetNames);
        Assert.Equal(212f, malignant.Targets.ToArray().Sum());
        Assert.Equal("positiveClass", Assert.Throws<ArgumentOutOfRangeException>(() => cancer.ToBinaryTargets(2)).ParamName);
    }
}
