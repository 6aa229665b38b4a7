using System;
using CompiledNets;

namespace Diabetes;

/// <summary>
/// Regression on the diabetes set embedded in CompiledNets (442 patients, 10 features, progression 25–346): a 70 / 15 /
/// 15 split; features and the target standardized with the training statistics; MSE, Adam with a cosine schedule over
/// the epochs; early stopping on validation R² that keeps the best weights. Shared by the sample and its test.
/// </summary>
public sealed class DiabetesRecipe
{
    public const int Epochs = 400;
    public const int BatchSize = 16;

    public DiabetesRecipe(int seed = 7)
    {
        Data = Datasets.LoadDiabetes();
        DatasetSplit split = Data.Split(trainFraction: 0.7, validationFraction: 0.15, seed);
        Features = Standardizer.Fit(split.Train);
        Target = Standardizer.FitTargets(split.Train);
        Dataset Prepare(Dataset part) => Target.TransformTargets(Features.Transform(part));
        TestSet = split.Test;
        Train = new DataLoader(Prepare(split.Train), BatchSize, shuffle: true, seed: seed);
        Validation = new DataLoader(Prepare(split.Validation), batchSize: 256);
        Test = new DataLoader(Prepare(split.Test), batchSize: 256);

        Network = new DiabetesNet(seed);
        Optimizer = new Adam(Network, lr: 1e-3f, weightDecay: 1e-4f);
        Trainer = new Trainer(Network, new MSELoss(), Optimizer)
        {
            Scheduler = new CosineAnnealingLR(Optimizer, tMax: Epochs, etaMin: 1e-5),
        };
        EarlyStopping = new EarlyStopping(patience: 40, MonitoredMetric.ValidationR2Score, minDelta: 1e-4f);
    }

    public Dataset Data { get; }
    public Dataset TestSet { get; }
    public Standardizer Features { get; }
    public Standardizer Target { get; }
    public DataLoader Train { get; }
    public DataLoader Validation { get; }
    public DataLoader Test { get; }
    public DiabetesNet Network { get; }
    public Adam Optimizer { get; }
    public Trainer Trainer { get; }
    public EarlyStopping EarlyStopping { get; }

    /// <summary>The test patients' progression as measured and as predicted, in the target's units.</summary>
    public (float[] Actual, float[] Predicted) PredictTest()
    {
        var predicted = new float[TestSet.Count];
        using (Network.NoGrad())
        {
            Network.Forward(Features.Transform(TestSet).Features).Data.CopyTo(predicted);
        }
        Target.InverseTransform(predicted);
        return (TestSet.Targets.ToArray(), predicted);
    }
}
