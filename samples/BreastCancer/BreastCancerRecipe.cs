using System;
using System.Linq;
using CompiledNets;

namespace BreastCancer;

/// <summary>
/// A binary task on the breast cancer set embedded in CompiledNets (569 tumours, 30 features): detect malignant tumours
/// (the rarer class, 212 of 569). A stratified 70 / 15 / 15 split standardized with the training statistics;
/// BCEWithLogitsLoss with posWeight = negatives / positives of the training part, so both classes weigh alike; Adam with
/// OneCycleLR stepped per batch; early stopping on validation loss that keeps the best weights. Shared by the sample and its test.
/// </summary>
public sealed class BreastCancerRecipe
{
    public const int Epochs = 60;
    public const int BatchSize = 16;

    /// <summary>The class this task detects: 0, malignant.</summary>
    public const int Malignant = 0;

    public BreastCancerRecipe(int seed = 5)
    {
        Data = Datasets.LoadBreastCancer();
        DatasetSplit split = Data.Split(trainFraction: 0.7, validationFraction: 0.15, seed, stratify: true);
        Features = Standardizer.Fit(split.Train);
        Dataset Prepare(Dataset part) => Features.Transform(part).ToBinaryTargets(Malignant);
        Dataset train = Prepare(split.Train);
        TestSet = Prepare(split.Test);
        Train = new DataLoader(train, BatchSize, shuffle: true, seed: seed);
        Validation = new DataLoader(Prepare(split.Validation), batchSize: 256);
        Test = new DataLoader(TestSet, batchSize: 256);

        int positives = train.Targets.ToArray().Count(t => t == 1f);
        PosWeight = (float)(train.Count - positives) / positives;
        Network = new BreastCancerNet(seed);
        Optimizer = new Adam(Network, lr: 1e-3f);
        Trainer = new Trainer(Network, new BCEWithLogitsLoss(posWeight: [PosWeight]), Optimizer)
        {
            Scheduler = new OneCycleLR(Optimizer, maxLr: 1e-2, totalSteps: Epochs * Train.Count),
            SchedulerInterval = SchedulerInterval.Batch,
        };
        EarlyStopping = new EarlyStopping(patience: 10, MonitoredMetric.ValidationLoss);
    }

    public Dataset Data { get; }
    public Dataset TestSet { get; }
    public Standardizer Features { get; }
    public float PosWeight { get; }
    public DataLoader Train { get; }
    public DataLoader Validation { get; }
    public DataLoader Test { get; }
    public BreastCancerNet Network { get; }
    public Adam Optimizer { get; }
    public Trainer Trainer { get; }
    public EarlyStopping EarlyStopping { get; }

    /// <summary>The test tumours' labels (1 malignant) and the network's logits.</summary>
    public (int[] Labels, float[] Logits) ScoreTest()
    {
        var logits = new float[TestSet.Count];
        using (Network.NoGrad())
        {
            Network.Forward(TestSet.Features).Data.CopyTo(logits);
        }
        return (TestSet.Targets.ToArray().Select(t => (int)t).ToArray(), logits);
    }
}
