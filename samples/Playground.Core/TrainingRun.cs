using System;
using System.Collections.Generic;
using System.Diagnostics;
using CompiledNets;

namespace Playground;

/// <summary>
/// One training run of the playground, a batch at a time so that a page can draw between batches: the PyTorch loop of the
/// README (zero_grad, forward, loss, backward, step) on one thread, and after each epoch a look at the test part.
/// </summary>
/// <remarks>
/// The same settings give the same numbers, bit for bit, wherever the run has the same vector width and the same
/// multiply-add rounding (a browser's WebAssembly runs 128-bit vectors without fused multiply-add; so does x64 with AVX off,
/// <c>DOTNET_EnableAVX=0</c>). For that the data avoid math-library functions (<see cref="PlaygroundData"/>), and the batch
/// size is a multiple of 4 with the last, smaller batch of each epoch dropped: the loss's exp and log then run in whole
/// vectors, never through the math library's scalar functions.
/// </remarks>
public sealed class TrainingRun
{
    private readonly CrossEntropyLoss _criterion = new();
    private readonly Func<float[], float[]> _prepare;
    private readonly int[] _predicted;
    private DataLoader.Enumerator _batches;
    private bool _inEpoch;
    private double _lossSum;
    private int _batchCount, _correct, _seen;
    private readonly Stopwatch _clock = new();

    public TrainingRun(TrainingSettings settings)
    {
        if (Array.IndexOf(TrainingSettings.BatchSizes, settings.BatchSize) < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.BatchSize,
                $"Expected a batch size of {string.Join(", ", TrainingSettings.BatchSizes)} but got {settings.BatchSize}.");
        }
        if (settings.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(settings), settings.Epochs, $"Expected at least 1 epoch but got {settings.Epochs}.");
        Settings = settings;
        (Dataset train, Dataset test, Dataset rawTest, _prepare) = settings.Network switch
        {
            NetworkChoice.SeedNet => WithIdentity(PlaygroundData.Synthetic()),
            NetworkChoice.DigitsMlp => PlaygroundData.Digits(standardize: true),
            _ => PlaygroundData.Digits(standardize: false),
        };
        ClassCount = train.ClassCount;
        ClassNames = train.ClassNames;
        RawTest = rawTest;
        Network = settings.Network switch
        {
            NetworkChoice.SeedNet => new SeedNet(seed: 0),
            NetworkChoice.DigitsMlp => new DigitsMlp(seed: 0),
            _ => new DigitsCnn(seed: 0),
        };
        Network.ThreadCount = 1;
        Optimizer = settings.Optimizer == OptimizerChoice.Adam
            ? new Adam(Network, lr: settings.Lr)
            : new Sgd(Network, lr: settings.Lr, momentum: 0.9f);
        Train = new DataLoader(train, settings.BatchSize, shuffle: true, seed: 1, dropLast: true);
        Test = new DataLoader(test, 128);
        _predicted = new int[Math.Max(settings.BatchSize, 128)];
    }

    private static (Dataset, Dataset, Dataset, Func<float[], float[]>) WithIdentity((Dataset Train, Dataset Test) data) =>
        (data.Train, data.Test, data.Test, row => (float[])row.Clone());

    public TrainingSettings Settings { get; }

    public INetwork Network { get; }

    public IOptimizer Optimizer { get; }

    public DataLoader Train { get; }

    public DataLoader Test { get; }

    /// <summary>The test part as it was before preparation (a digit's pixels 0 to 16): what the page shows examples from.</summary>
    public Dataset RawTest { get; }

    public int ClassCount { get; }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Epochs finished.</summary>
    public int Epoch { get; private set; }

    /// <summary>Whether every epoch asked for has run.</summary>
    public bool Finished => Epoch >= Settings.Epochs;

    /// <summary>Batches run in the current epoch.</summary>
    public int Batch => _batchCount;

    /// <summary>
    /// One batch of the PyTorch loop, starting the next epoch when none is under way; returns the batch's loss, or null when
    /// the epoch has no batch left (call <see cref="EndEpoch"/>).
    /// </summary>
    public float? Step()
    {
        if (Finished) throw new InvalidOperationException($"The run has finished its {Settings.Epochs} epochs.");
        if (!_inEpoch)
        {
            _batches = Train.GetEnumerator();
            _inEpoch = true;
            _lossSum = 0;
            _batchCount = _correct = _seen = 0;
            _clock.Restart();
        }
        _clock.Start();
        try
        {
            if (!_batches.MoveNext())
            {
                return null;
            }
            var (inputs, targets) = _batches.Current;
            Optimizer.ZeroGrad();
            Outputs outputs = Network.Forward(inputs);
            Loss loss = _criterion.Forward(outputs, targets);
            loss.Backward();
            Optimizer.Step();
            float value = loss.Item();
            // Accuracy of the batch as it was trained on (before the step changed the parameters).
            Span<int> predicted = outputs.ArgMax(_predicted.AsSpan(0, targets.Labels.Length));
            _correct += predicted.CountEqual(targets.Labels);
            _seen += targets.Labels.Length;
            _lossSum += value;
            _batchCount++;
            return value;
        }
        finally
        {
            _clock.Stop();
        }
    }

    /// <summary>Closes the epoch whose batches have run: its training figures and the test part's.</summary>
    public EpochReport EndEpoch()
    {
        if (!_inEpoch) throw new InvalidOperationException("No epoch is under way: call Step until it returns null first.");
        _inEpoch = false;
        Epoch++;
        TimeSpan elapsed = _clock.Elapsed;
        var matrix = new ConfusionMatrix(ClassCount);
        double testLoss = 0;
        long testCount = 0;
        using (Network.NoGrad())
        {
            foreach (var (inputs, targets) in Test)
            {
                Outputs outputs = Network.Forward(inputs);
                testLoss += (double)_criterion.Forward(outputs, targets).Item() * targets.Labels.Length;
                testCount += targets.Labels.Length;
                matrix.Add(outputs.ArgMax(_predicted.AsSpan(0, targets.Labels.Length)), targets.Labels);
            }
        }
        long right = 0;
        for (int c = 0; c < ClassCount; c++) right += matrix[c, c];
        return new EpochReport(Epoch, (float)(_lossSum / _batchCount), (double)_correct / _seen, (float)(testLoss / testCount),
            (double)right / matrix.Total, matrix, elapsed);
    }

    /// <summary>The class probabilities (softmax of the logits) of one raw input: 10 features, or 64 pixels from 0 to 16.</summary>
    public float[] Probabilities(float[] raw)
    {
        float[] logits = new float[ClassCount];
        Network.Forward(_prepare(raw), logits);
        float max = float.NegativeInfinity;
        foreach (float z in logits) max = MathF.Max(max, z);
        float sum = 0f;
        for (int c = 0; c < logits.Length; c++) sum += logits[c] = MathF.Exp(logits[c] - max);
        for (int c = 0; c < logits.Length; c++) logits[c] /= sum;
        return logits;
    }

    /// <summary>A fingerprint of every parameter's bits (64-bit FNV-1a, hexadecimal): equal runs have equal fingerprints.</summary>
    public string ParameterChecksum()
    {
        ulong hash = 14695981039346656037UL;
        foreach (float value in Network.Parameters)
        {
            hash = (hash ^ BitConverter.SingleToUInt32Bits(value)) * 1099511628211UL;
        }
        return hash.ToString("x16");
    }

    /// <summary>Runs every epoch at once, as the console twin does; returns each epoch's report.</summary>
    public IReadOnlyList<EpochReport> RunToEnd()
    {
        var reports = new List<EpochReport>();
        while (!Finished)
        {
            while (Step() is not null)
            {
            }
            reports.Add(EndEpoch());
        }
        return reports;
    }
}
