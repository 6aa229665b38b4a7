using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CompiledNets;
using Spectre.Console;

namespace CompiledNets.Samples;

/// <summary>
/// The console side of a training run, kept out of the runtime library: a live Spectre.Console
/// progress bar fed by <see cref="Trainer"/>'s progress reports, and a per-epoch table afterwards.
/// </summary>
internal static class TrainingView
{
    /// <summary>Time from process start to the end of the first training step (start-up cost, e.g. JIT or native AOT).</summary>
    public static TimeSpan? FirstStepAfterStart { get; private set; }

    public static TrainingHistory Fit(Trainer trainer, DataLoader train, DataLoader validation, int epochs, EarlyStopping? earlyStopping)
    {
        TrainingHistory? history = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("Training", maxValue: (double)epochs * train.Count);
                history = trainer.Fit(train, validation, epochs, earlyStopping, new BarProgress(task, train.Count));
                task.Value = task.MaxValue;
            });
        return history!;
    }

    /// <summary>Moves the bar per batch; names the epoch and its validation figures per epoch.</summary>
    private sealed class BarProgress(ProgressTask task, int batchesPerEpoch) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Kind == ProgressKind.Batch)
            {
                FirstStepAfterStart ??= DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;
                task.Value = (double)(value.Epoch - 1) * batchesPerEpoch + value.Batch;
                return;
            }
            EpochResult result = value.Result!;
            string metric = !double.IsNaN(result.Validation.R2Score)
                ? string.Create(CultureInfo.InvariantCulture, $"val R² {result.Validation.R2Score:F3}")
                : !double.IsNaN(result.Validation.RocAuc)
                    ? string.Create(CultureInfo.InvariantCulture, $"val AUC {result.Validation.RocAuc:F4}")
                    : string.Create(CultureInfo.InvariantCulture, $"val acc {100 * result.ValidationAccuracy:F1} %");
            task.Description = string.Create(CultureInfo.InvariantCulture,
                $"Epoch {result.Epoch}: loss {result.TrainLoss:F4}, val loss {result.ValidationLoss:F4}, {metric}");
        }
    }

    /// <summary>
    /// One row per epoch (for long runs every n-th, the best and the last) with the metrics the task reports; with early
    /// stopping, the best epoch is marked.
    /// </summary>
    public static void PrintEpochTable(TrainingHistory history, bool markBest)
    {
        // The columns the run measured: a metric that is NaN in every epoch does not apply to the task.
        var columns = new List<(string Name, Func<EpochResult, double> Value, string Format)>
        {
            ("Train loss", e => e.TrainLoss, "F4"),
            ("Train acc", e => 100 * e.TrainAccuracy, "0.0' %'"),
            ("Val loss", e => e.ValidationLoss, "F4"),
            ("Val acc", e => 100 * e.ValidationAccuracy, "0.0' %'"),
            ("Val MAE", e => e.Validation.MeanAbsoluteError, "F4"),
            ("Val R²", e => e.Validation.R2Score, "F4"),
            ("Val ROC AUC", e => e.Validation.RocAuc, "F4"),
            ("LR", e => e.LearningRate, "0.0e0"),
        };
        columns.RemoveAll(column => history.Epochs.All(e => double.IsNaN(column.Value(e))));
        var table = new Table().RoundedBorder().Title("Training history");
        table.AddColumns(["Epoch", .. columns.Select(c => c.Name), "Seconds", ""]);
        int every = Math.Max(1, history.Epochs.Count / 25);
        foreach (EpochResult epoch in history.Epochs)
        {
            bool shown = history.Epochs.Count <= 30 || epoch.Epoch % every == 0 || epoch.Epoch == history.BestEpoch || epoch == history.Epochs[^1];
            if (!shown) continue;
            table.AddRow([
                epoch.Epoch.ToString(CultureInfo.InvariantCulture),
                .. columns.Select(c => c.Value(epoch).ToString(c.Format, CultureInfo.InvariantCulture)),
                epoch.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
                markBest && epoch.Epoch == history.BestEpoch ? "[green]best[/]" : ""]);
        }
        if (every > 1 && history.Epochs.Count > 30)
        {
            table.Caption($"every {every}th epoch, the best and the last of {history.Epochs.Count}");
        }
        AnsiConsole.Write(table);
        if (history.StoppedEarly)
        {
            AnsiConsole.MarkupLine($"Stopped early after epoch {history.Epochs.Count}; " +
                (history.RestoredBestWeights ? $"restored the weights of epoch {history.BestEpoch}." : $"epoch {history.BestEpoch} was the best."));
        }
    }
}
