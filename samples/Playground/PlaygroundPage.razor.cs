using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using CompiledNets;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Playground.Components;

namespace Playground;

/// <summary>
/// The page: settings, a training run that yields to the browser between batches, the charts, the epoch table, the
/// confusion matrix, the digit pad, and the generated code with the layer the step is at marked.
/// </summary>
public sealed partial class PlaygroundPage
{
    /// <summary>How long the run keeps the browser's thread before it lets the page draw (and the Stop button work).</summary>
    private const int FrameMilliseconds = 30;

    private TrainingSettings _settings = TrainingSettings.Default(NetworkChoice.DigitsMlp);
    private string _lrText = "0.01";
    private TrainingRun? _run;
    private bool _running, _stopRequested;
    private string _status = "Pick a network and press Train.";
    private string? _error;
    // Whether _error is a setting the user must correct (it holds Train back) or how the last run ended.
    private bool _settingError;
    private string _checksum = "";
    private string _runningLayer = "";
    private readonly List<double> _losses = [];
    private readonly List<EpochReport> _reports = [];
    private float[] _pixels = new float[64];
    private float[]? _probabilities;
    private int _picked;
    private GeneratedSource _source = null!;

    protected override void OnInitialized()
    {
        // Settings may come in the address: ?network=DigitsCnn&epochs=3&lr=0.01&batch=32&optimizer=Adam (as the browser test uses).
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(Navigation.Uri).Query);
        if (Enum.TryParse(query["network"], out NetworkChoice network)) _settings = TrainingSettings.Default(network);
        if (int.TryParse(query["epochs"], out int epochs) && epochs >= 1) _settings = _settings with { Epochs = epochs };
        if (int.TryParse(query["batch"], out int batch) && TrainingSettings.BatchSizes.Contains(batch)) _settings = _settings with { BatchSize = batch };
        if (float.TryParse(query["lr"], NumberStyles.Float, CultureInfo.InvariantCulture, out float lr) && lr > 0) _settings = _settings with { Lr = lr };
        if (Enum.TryParse(query["optimizer"], out OptimizerChoice optimizer)) _settings = _settings with { Optimizer = optimizer };
        _lrText = _settings.Lr.ToString(CultureInfo.InvariantCulture);
        _source = EmbeddedSources.Load(NetworkType(_settings.Network));
    }

    private static Type NetworkType(NetworkChoice network) => network switch
    {
        NetworkChoice.SeedNet => typeof(SeedNet),
        NetworkChoice.DigitsMlp => typeof(DigitsMlp),
        _ => typeof(DigitsCnn),
    };

    private IReadOnlyList<LineChart.ChartSeries> LossSeries => [new("batch loss", "series-loss", Smoothed(_losses))];

    private IReadOnlyList<LineChart.ChartSeries> AccuracySeries =>
    [
        new("train", "series-train", _reports.Select(r => r.TrainAccuracy).ToList(), 0, 1),
        new("test", "series-test", _reports.Select(r => r.TestAccuracy).ToList(), 0, 1),
    ];

    /// <summary>Batch losses averaged in runs, at most 200 points: the chart stays cheap to draw however long the run.</summary>
    private static List<double> Smoothed(List<double> losses)
    {
        int run = Math.Max(1, (losses.Count + 199) / 200);
        var points = new List<double>();
        for (int i = 0; i < losses.Count; i += run)
        {
            int end = Math.Min(losses.Count, i + run);
            double sum = 0;
            for (int j = i; j < end; j++) sum += losses[j];
            points.Add(sum / (end - i));
        }
        return points;
    }

    private void ChangeNetwork(ChangeEventArgs e)
    {
        if (!Enum.TryParse(e.Value?.ToString(), out NetworkChoice network)) return;
        _settings = TrainingSettings.Default(network) with { Lr = _settings.Lr, BatchSize = _settings.BatchSize, Optimizer = _settings.Optimizer };
        _source = EmbeddedSources.Load(NetworkType(network));
        _run = null;
        _reports.Clear();
        _losses.Clear();
        _probabilities = null;
        _runningLayer = "";
    }

    private void ChangeLr(ChangeEventArgs e)
    {
        _lrText = e.Value?.ToString() ?? "";
        if (float.TryParse(_lrText, NumberStyles.Float, CultureInfo.InvariantCulture, out float lr) && lr > 0 && float.IsFinite(lr))
        {
            _settings = _settings with { Lr = lr };
            (_error, _settingError) = (null, false);
        }
        else
        {
            (_error, _settingError) = ($"The learning rate must be a number above 0, not '{_lrText}'.", true);
        }
    }

    private void ChangeBatch(ChangeEventArgs e)
    {
        if (int.TryParse(e.Value?.ToString(), out int batch)) _settings = _settings with { BatchSize = batch };
    }

    private void ChangeOptimizer(ChangeEventArgs e)
    {
        if (Enum.TryParse(e.Value?.ToString(), out OptimizerChoice optimizer)) _settings = _settings with { Optimizer = optimizer };
    }

    private void ChangeEpochs(ChangeEventArgs e)
    {
        if (int.TryParse(e.Value?.ToString(), out int epochs) && epochs >= 1 && epochs <= 200)
        {
            _settings = _settings with { Epochs = epochs };
            (_error, _settingError) = (null, false);
        }
        else
        {
            (_error, _settingError) = ($"Epochs must be a whole number from 1 to 200, not '{e.Value}'.", true);
        }
    }

    /// <summary>
    /// The training run, a batch at a time: after at most <see cref="FrameMilliseconds"/> of batches it awaits a timer, which lets
    /// the browser draw the page and run the Stop button's handler; every epoch's end is drawn.
    /// </summary>
    private async Task TrainAsync()
    {
        if (_settingError) return;
        _error = null;
        _running = true;
        _stopRequested = false;
        _reports.Clear();
        _losses.Clear();
        _checksum = "";
        _probabilities = null;
        _status = "Preparing the data…";
        await Task.Delay(1);
        try
        {
            _run = new TrainingRun(_settings);
            LayerInfo[] layers = _run.Network.Layers.ToArray();
            int[] trainable = Enumerable.Range(0, layers.Length).ToArray();
            int position = 0;
            var frame = Stopwatch.StartNew();
            while (!_run.Finished && !_stopRequested)
            {
                float? loss = _run.Step();
                if (loss is null)
                {
                    EpochReport report = _run.EndEpoch();
                    _reports.Add(report);
                    _status = $"Epoch {report.Epoch} of {_settings.Epochs}: test accuracy {report.TestAccuracy:P1}, {report.Elapsed.TotalMilliseconds:F0} ms.";
                }
                else
                {
                    _losses.Add(loss.Value);
                }
                if (loss is null || frame.ElapsedMilliseconds >= FrameMilliseconds)
                {
                    // Each redraw marks the next layer of the step's order (forward 0, 1, …, then backward …, 1, 0).
                    position = (position + 1) % (2 * layers.Length);
                    int layer = position < layers.Length ? position : 2 * layers.Length - 1 - position;
                    string pass = position < layers.Length ? "forward" : "backward";
                    _runningLayer = $"Training: epoch {_run.Epoch + (loss is null ? 0 : 1)}, batch {_run.Batch}; the step runs every layer's forward, then every backward (marked in turn: layer {layer} {pass}).";
                    if (loss is not null) _status = $"Epoch {_run.Epoch + 1} of {_settings.Epochs}, batch {_run.Batch} of {_run.Train.Count}, loss {loss.Value:F4}";
                    StateHasChanged();
                    await JS.InvokeVoidAsync("playground.highlight", $"layer-{layer}");
                    await Task.Delay(1);
                    frame.Restart();
                }
            }
            _checksum = _run.ParameterChecksum();
            _status = _stopRequested
                ? $"Stopped after {_reports.Count} epoch(s)."
                : $"Done: {_reports.Count} epochs, test accuracy {_reports[^1].TestAccuracy:P1}, {_reports.Average(r => r.Elapsed.TotalMilliseconds):F0} ms per epoch.";
            _runningLayer = "";
            await JS.InvokeVoidAsync("playground.highlight", "none");
            if (_settings.Network != NetworkChoice.SeedNet) PickTestDigit();
        }
        catch (Exception exception)
        {
            _error = exception.Message;
        }
        finally
        {
            _running = false;
        }
    }

    private void ClearPad()
    {
        _pixels = new float[64];
        _probabilities = null;
    }

    /// <summary>Shows the next test image on the pad (pixels 0 to 16) and its prediction.</summary>
    private void PickTestDigit()
    {
        if (_run is null) return;
        _picked = (_picked + 1) % _run.RawTest.Count;
        _pixels = _run.RawTest.Row(_picked).ToArray();
        Predict();
    }

    private void Predict()
    {
        if (_run is null || _running) return;
        _probabilities = _run.Probabilities(_pixels);
    }

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
