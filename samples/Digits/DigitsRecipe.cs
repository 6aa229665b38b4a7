using CompiledNets;

namespace Digits;

/// <summary>
/// How the digits model is trained, in one place for the Digits sample (which shows the run) and the DigitsService
/// sample (which trains this way at start when no saved model is found): the split, the standardization fitted on the
/// training part, the loaders, and the trainer's network, loss and optimizer.
/// </summary>
public sealed class DigitsRecipe
{
    /// <summary>Up to this many epochs, stopping after <see cref="Patience"/> without a lower validation loss.</summary>
    public const int Epochs = 100;

    /// <summary>The saved model's file name stem (digits.safetensors, digits.standardizer.json): what the Digits sample writes and the service reads.</summary>
    public const string ModelFileName = "digits";

    /// <summary>Epochs without a validation loss lower by <see cref="MinDelta"/> before training stops.</summary>
    public const int Patience = 10;

    /// <summary>The improvement early stopping asks for.</summary>
    public const float MinDelta = 0.001f;

    public DigitsRecipe()
    {
        // 70 % train, 15 % validation (to choose when to stop), 15 % test (to measure once).
        Digits = Datasets.LoadDigits();
        DatasetSplit split = Digits.Split(trainFraction: 0.7, validationFraction: 0.15, seed: 42, stratify: true);
        Standardizer = Standardizer.Fit(split.Train);
        Train = new DataLoader(Standardizer.Transform(split.Train), batchSize: 32, shuffle: true, seed: 1);
        Validation = new DataLoader(Standardizer.Transform(split.Validation), batchSize: 256);
        Test = new DataLoader(Standardizer.Transform(split.Test), batchSize: 256);
        Network = new DigitsNet(seed: 0);
        Trainer = new Trainer(Network, new CrossEntropyLoss(), new Sgd(Network, lr: 0.01f, momentum: 0.9f));
    }

    /// <summary>The whole embedded set: 1,797 images of 8 × 8 pixels (0 to 16), 10 classes.</summary>
    public Dataset Digits { get; }

    /// <summary>Statistics of the training part; every input, in training and in service, is standardized with them.</summary>
    public Standardizer Standardizer { get; }

    public DataLoader Train { get; }

    public DataLoader Validation { get; }

    public DataLoader Test { get; }

    public DigitsNet Network { get; }

    public Trainer Trainer { get; }

    public EarlyStopping EarlyStopping => new(Patience, minDelta: MinDelta);

    /// <summary>Trains with early stopping, without output; returns what each epoch measured.</summary>
    public TrainingHistory Fit() => Trainer.Fit(Train, Validation, Epochs, EarlyStopping);
}
