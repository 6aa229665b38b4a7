using CompiledNets;
using CompiledNets.Samples;
using Digits;

namespace DigitsService;

/// <summary>
/// The model every request shares: one <see cref="DigitsNet"/> instance and the standardizer of its training data.
/// The one-sample <c>Forward</c> is safe from any number of threads and allocates nothing, so requests need no lock.
/// </summary>
public sealed class DigitsModel
{
    /// <summary>Pixels per image: 8 × 8, each 0 (white) to 16 (black) as in the digits set.</summary>
    public const int PixelCount = DigitsNet.InputSize;

    /// <summary>The saved model's file names in the model directory: what the Digits sample writes.</summary>
    public const string FileName = DigitsRecipe.ModelFileName;

    private readonly DigitsNet _network;
    private readonly Standardizer _standardizer;

    private DigitsModel(DigitsNet network, Standardizer standardizer, string source)
    {
        _network = network;
        _standardizer = standardizer;
        Source = source;
    }

    /// <summary>Where the parameters came from: the files loaded, or training at start.</summary>
    public string Source { get; }

    /// <summary>
    /// Loads <c>digits.safetensors</c> and <c>digits.standardizer.json</c> from <paramref name="directory"/> (what
    /// <c>dotnet run --project samples/Digits</c> writes into <c>digits-output</c>); when they are missing, trains once
    /// with the Digits sample's recipe (a fraction of a second) and serves that.
    /// </summary>
    public static DigitsModel LoadOrTrain(string directory, ILogger logger)
    {
        var network = new DigitsNet(seed: 0);
        if (ModelFiles.TryLoad(directory, FileName, network) is { } standardizer)
        {
            string weights = Path.GetFullPath(ModelFiles.WeightsPath(directory, FileName));
            logger.LogInformation("Loaded the digits model from {Weights}", weights);
            return new DigitsModel(network, standardizer, $"loaded {weights}");
        }
        var recipe = new DigitsRecipe();
        TrainingHistory history = recipe.Fit();
        (float loss, float accuracy) = recipe.Trainer.Evaluate(recipe.Test);
        logger.LogInformation(
            "No saved model in {Directory}: trained {Epochs} epochs at start, test accuracy {Accuracy:P1} (loss {Loss:F4})",
            Path.GetFullPath(directory), history.Epochs.Count, accuracy, loss);
        return new DigitsModel(recipe.Network, recipe.Standardizer, $"trained at start ({history.Epochs.Count} epochs, test accuracy {accuracy:P1})");
    }

    /// <summary>The darkest pixel value of the digits set.</summary>
    public const float MaxPixel = 16;

    /// <summary>Why <paramref name="pixels"/> cannot be classified, or null when it can.</summary>
    public static string? Problem(float[]? pixels)
    {
        if (pixels is null)
        {
            return $"Expected \"pixels\": an array of {PixelCount} numbers (8 × 8 pixels, 0 to 16), but it is missing.";
        }
        if (pixels.Length != PixelCount)
        {
            return $"Expected {PixelCount} pixel values (8 × 8) but got {pixels.Length}.";
        }
        // The range the model was trained on; a value far outside it (say 3e38) would overflow the logits.
        int bad = Array.FindIndex(pixels, p => !(p >= 0 && p <= MaxPixel));
        return bad < 0 ? null : $"Expected pixel values from 0 to {MaxPixel} but pixels[{bad}] is {pixels[bad].ToString(System.Globalization.CultureInfo.InvariantCulture)}.";
    }

    /// <summary>The most probable digit and the probability of each (softmax of the logits).</summary>
    public Prediction Predict(ReadOnlySpan<float> pixels)
    {
        Span<float> input = stackalloc float[PixelCount];
        pixels.CopyTo(input);
        _standardizer.Transform(input);
        Span<float> logits = stackalloc float[DigitsNet.OutputSize];
        _network.Forward(input, logits);

        // Softmax with the largest logit subtracted first, as torch.softmax does, so exp never overflows.
        int best = 0;
        for (int c = 1; c < logits.Length; c++)
        {
            if (logits[c] > logits[best]) best = c;
        }
        var probabilities = new float[logits.Length];
        float sum = 0f;
        for (int c = 0; c < logits.Length; c++)
        {
            probabilities[c] = MathF.Exp(logits[c] - logits[best]);
            sum += probabilities[c];
        }
        for (int c = 0; c < probabilities.Length; c++)
        {
            probabilities[c] /= sum;
        }
        return new Prediction(best, probabilities);
    }
}
