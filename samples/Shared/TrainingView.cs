using System;
using System.Globalization;
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
            task.Description = string.Create(CultureInfo.InvariantCulture,
                $"Epoch {result.Epoch}: loss {result.TrainLoss:F4}, val loss {result.ValidationLoss:F4}, val acc {100 * result.ValidationAccuracy:F1} %");
        }
    }

    /// <summary>One row per epoch; with early stopping, the best epoch is marked.</summary>
    public static void PrintEpochTable(TrainingHistory history, bool markBest)
    {
        var table = new Table().RoundedBorder().Title("Training history");
        table.AddColumns("Epoch", "Train loss", "Train acc", "Val loss", "Val acc", "Seconds", "");
        foreach (EpochResult epoch in history.Epochs)
        {
            table.AddRow(
                epoch.Epoch.ToString(CultureInfo.InvariantCulture),
                epoch.TrainLoss.ToString("F4", CultureInfo.InvariantCulture),
                (100 * epoch.TrainAccuracy).ToString("F1", CultureInfo.InvariantCulture) + " %",
                epoch.ValidationLoss.ToString("F4", CultureInfo.InvariantCulture),
                (100 * epoch.ValidationAccuracy).ToString("F1", CultureInfo.InvariantCulture) + " %",
                epoch.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
                markBest && epoch.Epoch == history.BestEpoch ? "[green]best[/]" : "");
        }
        AnsiConsole.Write(table);
        if (history.StoppedEarly)
        {
            AnsiConsole.MarkupLine($"Stopped early after epoch {history.Epochs.Count}; " +
                (history.RestoredBestWeights ? $"restored the weights of epoch {history.BestEpoch}." : $"epoch {history.BestEpoch} was the best."));
        }
    }
}
