using System;
using System.IO;
using System.Linq;

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
    private const string DiabetesResource = "CompiledNets.Data.diabetes.csv.gz";
    private const string BreastCancerResource = "CompiledNets.Data.breast_cancer.csv.gz";

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
    public static Dataset LoadDigits() =>
        Labeled(ReadEmbedded(DigitsResource, hasHeader: false, new CsvParser.LabelHint(-1, null)), classCount: 10);

    /// <summary>
    /// The diabetes regression dataset embedded in this assembly, as scikit-learn's <c>load_diabetes(scaled=False)</c>:
    /// 442 patients, 10 features (age, sex, body mass index, average blood pressure and six blood serum measurements
    /// s1–s6, unscaled) and one float target, <c>progression</c>, a measure of disease progression one year after
    /// baseline (25–346).
    /// </summary>
    /// <remarks>
    /// Source: B. Efron, T. Hastie, I. Johnstone and R. Tibshirani, "Least Angle Regression", Annals of Statistics
    /// (2004), as bundled with scikit-learn (BSD-3-Clause); see <c>src/CompiledNets/Data/README.md</c>.
    /// </remarks>
    public static Dataset LoadDiabetes() =>
        ReadEmbedded(DiabetesResource, hasHeader: true, CsvParser.LabelHint.None).ToDataset(["progression"]);

    /// <summary>
    /// The Wisconsin breast cancer (diagnostic) dataset embedded in this assembly, as scikit-learn's
    /// <c>load_breast_cancer()</c>: 569 tumours, 30 features computed from a digitized image of a fine needle aspirate
    /// (mean, standard error and worst of ten cell-nucleus measurements), and the class: 0 <c>malignant</c> (212),
    /// 1 <c>benign</c> (357). For a binary task with <see cref="BCEWithLogitsLoss"/>, take
    /// <see cref="Dataset.ToBinaryTargets"/> of the class to detect.
    /// </summary>
    /// <remarks>
    /// Source: W. Wolberg, W. Street and O. Mangasarian, UCI Machine Learning Repository (1995), as bundled with
    /// scikit-learn (BSD-3-Clause); see <c>src/CompiledNets/Data/README.md</c>.
    /// </remarks>
    public static Dataset LoadBreastCancer()
    {
        CsvTable table = ReadEmbedded(BreastCancerResource, hasHeader: true, new CsvParser.LabelHint(-2, "target"));
        Dataset numbered = table.ToDataset("target", classCount: 2);
        return new Dataset(numbered.Features.ToArray(), numbered.Labels.ToArray(), numbered.FeatureCount, 2, ["malignant", "benign"]);
    }

    private static CsvTable ReadEmbedded(string resource, bool hasHeader, CsvParser.LabelHint label)
    {
        using Stream stream = typeof(Datasets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource '{resource}' is missing from {typeof(Datasets).Assembly.GetName().Name}; the library was built without it.");
        using var gzip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress);
        return CsvParser.Read(gzip, $"embedded resource {resource}", hasHeader, ',', label);
    }

    /// <summary>
    /// Reads a CSV file of features and a class label per row, the label column given by position: every line with the
    /// same number of columns, the label a non-negative integer (<c>3.0</c> is accepted) or text (class names, sorted as
    /// scikit-learn's <c>LabelEncoder</c> sorts them, kept in <see cref="Dataset.ClassNames"/>), all other columns numbers
    /// parsed with the invariant culture, like <c>pandas.read_csv(path, header=None)</c> followed by splitting off the
    /// label column. A file whose first two bytes are the gzip magic number (<c>1f 8b</c>) is decompressed, so
    /// <c>.csv.gz</c> files read directly. Parsing follows RFC 4180 (see <see cref="CsvTable"/>).
    /// </summary>
    /// <remarks>
    /// Fields are trimmed of spaces; quoted fields are unquoted; a byte-order mark and CRLF line ends are fine; blank
    /// lines are skipped. A malformed line (wrong column count, a missing value, a value that is not a finite number, an
    /// integer label that is negative, fractional or not below <paramref name="classCount"/>, a text feature column,
    /// which needs a <see cref="OneHotEncoder"/> through <see cref="CsvTable"/>) throws <see cref="InvalidDataException"/>
    /// naming the file, its 1-based line number and the column; a missing file throws <see cref="FileNotFoundException"/>.
    /// A label column's kind is set by its first value: numbers make integer labels, text makes class names.
    /// </remarks>
    /// <param name="path">The file.</param>
    /// <param name="labelColumn">0-based column of the label; -1 (the default) for the last column.</param>
    /// <param name="hasHeader">Whether the first non-blank line holds column names.</param>
    /// <param name="separator">The column separator.</param>
    /// <param name="classCount">Number of classes; by default the largest label + 1 (or the number of class names).</param>
    public static Dataset ReadCsv(string path, int labelColumn = -1, bool hasHeader = false, char separator = ',', int? classCount = null)
    {
        if (labelColumn < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(labelColumn), labelColumn, $"Expected labelColumn >= 0, or -1 for the last column, but got {labelColumn}.");
        }
        CheckClassCount(classCount);
        CsvParser.CheckSeparator(separator);
        return Labeled(CsvParser.Read(path, hasHeader, separator, new CsvParser.LabelHint(labelColumn, null)), classCount);
    }

    /// <summary>
    /// Reads a CSV file with a header row, the class label column given by name, like
    /// <c>df = pandas.read_csv(path); y = LabelEncoder().fit_transform(df.pop(labelColumn))</c>: on iris
    /// (<c>sepal_length,…,species</c> and rows such as <c>5.1,3.5,1.4,0.2,setosa</c>) the classes are
    /// <c>setosa</c>, <c>versicolor</c>, <c>virginica</c>. The rules are those of
    /// <see cref="ReadCsv(string, int, bool, char, int?)"/>; for text feature columns, read a <see cref="CsvTable"/>.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="labelColumn">The header name of the label column.</param>
    /// <param name="separator">The column separator.</param>
    /// <param name="classCount">For integer labels, the number of classes (by default the largest label + 1).</param>
    public static Dataset ReadCsv(string path, string labelColumn, char separator = ',', int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(labelColumn);
        CheckClassCount(classCount);
        CsvParser.CheckSeparator(separator);
        return Labeled(CsvParser.Read(path, hasHeader: true, separator, new CsvParser.LabelHint(-2, labelColumn)), classCount);
    }

    /// <summary>
    /// Reads a CSV file with a header row into a dataset of float targets (regression, or 0/1 targets of a binary task):
    /// <paramref name="targetColumns"/> are the targets, in that order, every other column a number feature. The rules
    /// are those of <see cref="ReadCsv(string, int, bool, char, int?)"/>; for text feature columns, read a <see cref="CsvTable"/>.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="targetColumns">The header names of the target columns.</param>
    /// <param name="separator">The column separator.</param>
    public static Dataset ReadCsv(string path, string[] targetColumns, char separator = ',')
    {
        ArgumentNullException.ThrowIfNull(targetColumns);
        CsvParser.CheckSeparator(separator);
        CsvTable table = CsvParser.Read(path, hasHeader: true, separator, CsvParser.LabelHint.None);
        ThrowOnTextFeatures(table, targetColumns.Select(name => CsvTable.IndexOf(table.ColumnNames, name, table.Source, true, nameof(targetColumns))).ToArray());
        return table.ToDataset(targetColumns);
    }

    private static void CheckClassCount(int? classCount)
    {
        if (classCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"Expected classCount >= 1 (or null to use the largest label + 1) but got {classCount}.");
        }
    }

    /// <summary>The classification dataset of a table read with a label column.</summary>
    private static Dataset Labeled(CsvTable table, int? classCount)
    {
        ThrowOnTextFeatures(table, [table.LabelHint]);
        return table.ToDataset(table.ColumnNames[table.LabelHint], encoder: null, classCount);
    }

    /// <summary>A text feature column in a file read straight into a dataset is an error of the file, at its first row.</summary>
    private static void ThrowOnTextFeatures(CsvTable table, int[] targets)
    {
        for (int c = 0; c < table.ColumnCount; c++)
        {
            CsvColumn column = table.ColumnAt(c);
            if (column.Kind == CsvColumnKind.Text && !targets.Contains(c))
            {
                throw CsvParser.Error(table.Source, table.Line(0),
                    $"{CsvParser.Describe(c, column.Name, table.HasHeader)}: expected a finite number but found {CsvParser.Quote(column.Text(0))} " +
                    "(a text feature column: read the file with CsvTable.Read and one-hot encode it with a OneHotEncoder fitted on the training rows, or drop it)");
            }
        }
    }

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
