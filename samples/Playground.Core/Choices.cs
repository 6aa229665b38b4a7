namespace Playground;

/// <summary>The networks of the playground, each with its task.</summary>
public enum NetworkChoice
{
    /// <summary><see cref="Playground.SeedNet"/> on the synthetic two-class task.</summary>
    SeedNet,

    /// <summary><see cref="Playground.DigitsMlp"/> on the embedded digits.</summary>
    DigitsMlp,

    /// <summary><see cref="Playground.DigitsCnn"/> on the embedded digits.</summary>
    DigitsCnn,
}

/// <summary>The optimizers the playground offers.</summary>
public enum OptimizerChoice
{
    /// <summary><c>Sgd</c> with momentum 0.9.</summary>
    Sgd,

    /// <summary><c>Adam</c> with PyTorch's defaults but the learning rate.</summary>
    Adam,
}

/// <summary>What a training run is made of: the same settings give the same run, bit for bit, in the browser and the console.</summary>
/// <param name="Network">Which network, and so which data.</param>
/// <param name="Lr">The learning rate.</param>
/// <param name="BatchSize">Samples per batch: a multiple of 4 (see <see cref="TrainingRun"/>).</param>
/// <param name="Optimizer">Which optimizer.</param>
/// <param name="Epochs">Passes over the training data.</param>
public sealed record TrainingSettings(NetworkChoice Network, float Lr, int BatchSize, OptimizerChoice Optimizer, int Epochs)
{
    /// <summary>The batch sizes offered: multiples of 4, so every loss runs in whole 128-bit vectors (see <see cref="TrainingRun"/>).</summary>
    public static readonly int[] BatchSizes = [8, 16, 32, 64, 128];

    /// <summary>The defaults of each network.</summary>
    public static TrainingSettings Default(NetworkChoice network) => network switch
    {
        NetworkChoice.SeedNet => new(network, 0.01f, 32, OptimizerChoice.Sgd, 20),
        NetworkChoice.DigitsMlp => new(network, 0.01f, 32, OptimizerChoice.Sgd, 10),
        _ => new(network, 0.01f, 32, OptimizerChoice.Sgd, 10),
    };
}
