using System;
using System.IO;

namespace CompiledNets;

/// <summary>
/// Loading datasets in one call: the digits set embedded in this library, numeric CSV files,
/// IDX files (MNIST, Fashion-MNIST). Every reader builds the whole dataset before returning it, so a
/// malformed file throws (naming the file and the line or byte offset) and returns nothing half-read.
/// </summary>
public static class Datasets
{
    /// <summary>Where <c>apt-get install -y dataset-fashion-mnist</c> puts the Fashion-MNIST files.</summary>
    public const string FashionMnistDirectory = "/usr/share/datasets/fashion-mnist/";

    private const string DigitsResource = "CompiledNets.Data.digits.csv.gz";

    private static readonly string[] FashionMnistClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// The digits dataset embedded in this assembly (no file or current directory involved):
    /// 1,797 handwritten digits as 8×8 images, 64 features with integer values 0..16 (row-major
    /// pixels), 10 classes named <c>"0"</c> … <c>"9"</c>, about 180 samples each. The same data as
    /// scikit-learn's <c>load_digits()</c>.
    /// </summary>
    /// <remarks>
    /// Source: the test set of the UCI "Optical Recognition of Handwritten Digits" dataset
    /// (E. Alpaydin and C. Kaynak, 1998), as bundled with scikit-learn (BSD-3-Clause); see
    /// <c>src/CompiledNets/Data/README.md</c>. Each call parses the embedded file anew (a few
    /// milliseconds) and returns a new dataset.
    /// </remarks>
    public static Dataset LoadDigits()
    {
        using Stream stream = typeof(Datasets).Assembly.GetManifestResourceStream(DigitsResource)
            ?? throw new InvalidOperationException($"The embedded resource '{DigitsResource}' is missing from {typeof(Datasets).Assembly.GetName().Name}; the library was built without it.");
        using var gzip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress);
        return CsvReader.Read(gzip, $"embedded resource {DigitsResource}", labelColumn: -1, hasHeader: false, separator: ',', classCount: 10, classNames: null);
    }

    /// <summary>
    /// Reads a numeric CSV file: one sample per line, every line with the same number of columns, one
    /// column the class label (a non-negative integer; <c>3.0</c> is accepted) and all the others float
    /// features, parsed with the invariant culture (<c>.</c> as decimal point), like
    /// <c>pandas.read_csv(path, header=None)</c> followed by splitting off the label column. A file
    /// whose first two bytes are the gzip magic number (<c>1f 8b</c>) is decompressed, so
    /// <c>.csv.gz</c> files read directly.
    /// </summary>
    /// <remarks>
    /// Fields are trimmed of spaces; quoting is not supported (the file must be numbers only, apart from
    /// the header). Blank lines are skipped. NaN and infinite values are rejected. A malformed line
    /// (wrong column count, a value that is not a finite number, a label that is not a non-negative
    /// integer or not below <paramref name="classCount"/>) throws <see cref="InvalidDataException"/>
    /// naming the file and its 1-based line number; a missing file throws <see cref="FileNotFoundException"/>.
    /// </remarks>
    /// <param name="path">The file.</param>
    /// <param name="labelColumn">0-based column of the label; -1 (the default) for the last column.</param>
    /// <param name="hasHeader">Whether the first non-blank line holds column names (checked for the column count, otherwise ignored).</param>
    /// <param name="separator">The column separator.</param>
    /// <param name="classCount">Number of classes; by default the largest label + 1.</param>
    public static Dataset ReadCsv(string path, int labelColumn = -1, bool hasHeader = false, char separator = ',', int? classCount = null) =>
        CsvReader.Read(path, labelColumn, hasHeader, separator, classCount);

    /// <summary>
    /// Reads an image file and a label file in the IDX format of MNIST and Fashion-MNIST, gzip-compressed
    /// or not (detected by the magic bytes <c>1f 8b</c>, not the name). Images must be unsigned bytes in 3
    /// dimensions (magic <c>0x00000803</c>: count, rows, columns), labels unsigned bytes in 1 dimension
    /// (magic <c>0x00000801</c>), one per image. Each image becomes one row of rows × columns features
    /// holding the raw byte values 0..255 as floats; call <c>Scale(1 / 255f)</c> for [0, 1] as
    /// torchvision's <c>ToTensor()</c> gives.
    /// </summary>
    /// <remarks>
    /// A malformed file (bad magic number, wrong number of dimensions, truncated or extra data, a label
    /// count that differs from the image count, corrupt gzip data) throws <see cref="InvalidDataException"/>
    /// naming the file and the byte offset (of the decompressed data for gzip); a missing file throws
    /// <see cref="FileNotFoundException"/>.
    /// </remarks>
    /// <param name="imagesPath">The images file, e.g. <c>train-images-idx3-ubyte.gz</c>.</param>
    /// <param name="labelsPath">The labels file, e.g. <c>train-labels-idx1-ubyte.gz</c>.</param>
    /// <param name="classCount">Number of classes; by default the largest label + 1.</param>
    public static Dataset ReadIdx(string imagesPath, string labelsPath, int? classCount = null) =>
        IdxReader.Read(imagesPath, labelsPath, classCount, classNames: null);

    /// <summary>
    /// Reads Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017; Zalando, MIT licence) from
    /// <paramref name="directory"/>: the four standard files <c>train-images-idx3-ubyte</c>,
    /// <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c> and <c>t10k-labels-idx1-ubyte</c>,
    /// each with or without <c>.gz</c> (the <c>.gz</c> one is preferred when both exist). That is
    /// 60,000 training and 10,000 test images of 28 × 28 = 784 features (0..255; see
    /// <see cref="ReadIdx"/>) in 10 classes named as in torchvision's <c>FashionMNIST.classes</c>.
    /// </summary>
    /// <remarks>
    /// All four files are looked up before any is read. A missing one throws
    /// <see cref="FileNotFoundException"/> naming the directory and the file and saying that
    /// <c>apt-get install -y dataset-fashion-mnist</c> puts them in <see cref="FashionMnistDirectory"/>.
    /// </remarks>
    public static (Dataset Train, Dataset Test) LoadFashionMnist(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string trainImages = FashionMnistFile(directory, "train-images-idx3-ubyte");
        string trainLabels = FashionMnistFile(directory, "train-labels-idx1-ubyte");
        string testImages = FashionMnistFile(directory, "t10k-images-idx3-ubyte");
        string testLabels = FashionMnistFile(directory, "t10k-labels-idx1-ubyte");
        Dataset train = IdxReader.Read(trainImages, trainLabels, FashionMnistClassNames.Length, FashionMnistClassNames);
        Dataset test = IdxReader.Read(testImages, testLabels, FashionMnistClassNames.Length, FashionMnistClassNames);
        if (train.FeatureCount != test.FeatureCount)
        {
            throw new InvalidDataException(
                $"'{testImages}': expected images of {train.FeatureCount} pixels (as in '{trainImages}') but found {test.FeatureCount}.");
        }
        return (train, test);
    }

    private static string FashionMnistFile(string directory, string name)
    {
        string gzip = Path.Combine(directory, name + ".gz");
        if (File.Exists(gzip)) return gzip;
        string plain = Path.Combine(directory, name);
        if (File.Exists(plain)) return plain;
        throw new FileNotFoundException(
            $"Fashion-MNIST file '{name}.gz' (or '{name}') not found in the directory '{directory}'. " +
            $"`apt-get install -y dataset-fashion-mnist` puts the four files in {FashionMnistDirectory}.",
            gzip);
    }
}
