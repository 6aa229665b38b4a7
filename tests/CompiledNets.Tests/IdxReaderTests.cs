using System;
using System.IO;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>Datasets.ReadIdx and LoadFashionMnist on IDX files built here, plain and gzip, good and malformed.</summary>
public sealed class IdxReaderTests : IDisposable
{
    private const int Count = 5, Rows = 3, Columns = 2;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>An IDX file: magic 00 00 08 D, big-endian sizes, then the data.</summary>
    internal static byte[] Idx(int[] sizes, byte[] data)
    {
        var bytes = new byte[4 + 4 * sizes.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)sizes.Length;
        for (int d = 0; d < sizes.Length; d++)
        {
            bytes[4 + 4 * d] = (byte)(sizes[d] >> 24);
            bytes[5 + 4 * d] = (byte)(sizes[d] >> 16);
            bytes[6 + 4 * d] = (byte)(sizes[d] >> 8);
            bytes[7 + 4 * d] = (byte)sizes[d];
        }
        data.CopyTo(bytes, 4 + 4 * sizes.Length);
        return bytes;
    }

    // Pixel j of image i is 50·i + j, so every value says where it came from.
    private static byte[] Images() =>
        Idx([Count, Rows, Columns], Enumerable.Range(0, Count * Rows * Columns).Select(k => (byte)(50 * (k / (Rows * Columns)) + k % (Rows * Columns))).ToArray());

    private static byte[] Labels() => Idx([Count], [3, 0, 1, 3, 2]);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public void Reads_images_as_rows_of_raw_byte_values_and_the_labels(bool gzipImages, bool gzipLabels)
    {
        string images = _directory.Write("images", Images(), gzipImages);
        string labels = _directory.Write("labels", Labels(), gzipLabels);
        Dataset data = Datasets.ReadIdx(images, labels);
        Assert.Equal(Count, data.Count);
        Assert.Equal(Rows * Columns, data.FeatureCount);
        Assert.Equal(4, data.ClassCount); // largest label + 1
        Assert.Equal([3, 0, 1, 3, 2], data.Labels.ToArray());
        Assert.Equal([200f, 201f, 202f, 203f, 204f, 205f], data.Row(4).ToArray());
        Assert.Equal(10, Datasets.ReadIdx(images, labels, classCount: 10).ClassCount);
    }

    [Fact]
    public void Scale_maps_the_bytes_to_the_unit_interval()
    {
        byte[] pixels = [0, 255, 51, 102];
        string images = _directory.Write("images", Idx([1, 2, 2], pixels));
        string labels = _directory.Write("labels", Idx([1], [0]));
        Dataset data = Datasets.ReadIdx(images, labels).Scale(1 / 255f);
        float[] expected = [0f, 1f, 0.2f, 0.4f];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], data.Features[i], 1e-7f);
    }

    public enum Damage { BadMagic, LabelsAsImages, WrongDimensions, TruncatedHeader, TruncatedData, ExtraData, ZeroSize, CountMismatch, LabelTooLarge }

    [Theory]
    [InlineData(Damage.BadMagic, "images", 0, "expected the magic number 0x00000803 (unsigned bytes, 3 dimensions) but found 0x00000D03")]
    [InlineData(Damage.LabelsAsImages, "images", 3, "expected 3 dimensions (magic number 0x00000803) but the header declares 1")]
    [InlineData(Damage.WrongDimensions, "labels", 3, "expected 1 dimension (magic number 0x00000801) but the header declares 2")]
    [InlineData(Damage.TruncatedHeader, "images", 8, "expected 4 bytes for the size of dimension 2 but the file ends at byte offset 10")]
    [InlineData(Damage.TruncatedData, "images", 16, "expected 30 bytes for the data (5 × 3 × 2) but the file ends at byte offset 43")]
    [InlineData(Damage.ExtraData, "labels", 13, "expected the file to end after 5 bytes of data but found more")]
    [InlineData(Damage.ZeroSize, "images", 12, "expected the size of dimension 3 in [1, 2147483647] but found 0")]
    [InlineData(Damage.CountMismatch, "labels", 4, "expected 5 labels (one per image in '{images}') but the label count is 4")]
    [InlineData(Damage.LabelTooLarge, "labels", 8, "expected a label in [0, 3) (classCount = 3) but found 3")]
    public void A_malformed_file_names_the_file_the_byte_offset_and_what_was_expected(Damage damage, string culprit, int offset, string expected)
    {
        byte[] images = Images(), labels = Labels();
        switch (damage)
        {
            case Damage.BadMagic: images[2] = 0x0D; break;
            case Damage.LabelsAsImages: images = Labels(); break;
            case Damage.WrongDimensions: labels = Idx([Count, 1], [3, 0, 1, 3, 2]); break;
            case Damage.TruncatedHeader: images = images[..10]; break;
            case Damage.TruncatedData: images = images[..^3]; break;
            case Damage.ExtraData: labels = [.. labels, 7]; break;
            case Damage.ZeroSize: images = Idx([Count, Rows, 0], []); break;
            case Damage.CountMismatch: labels = Idx([Count - 1], [3, 0, 1, 3]); break;
            case Damage.LabelTooLarge: break;
        }
        int? classCount = damage == Damage.LabelTooLarge ? 3 : null;
        foreach (bool gzip in new[] { false, true })
        {
            string imagesPath = _directory.Write(gzip ? "images.gz" : "images", images, gzip);
            string labelsPath = _directory.Write(gzip ? "labels.gz" : "labels", labels, gzip);
            var error = Assert.Throws<InvalidDataException>(() => Datasets.ReadIdx(imagesPath, labelsPath, classCount));
            string path = culprit == "images" ? imagesPath : labelsPath;
            string location = $"byte offset {offset}{(gzip ? " (decompressed)" : "")}";
            Assert.Equal($"'{path}', {location}: {expected.Replace("{images}", imagesPath)}.", error.Message);
        }
    }

    [Fact]
    public void Corrupt_gzip_data_names_the_file_and_an_offset()
    {
        var random = new Rng(3);
        byte[] pixels = new byte[200 * 28 * 28];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(random.NextInt32(4) * 60);
        byte[] compressed = File.ReadAllBytes(_directory.Write("good.gz", Idx([200, 28, 28], pixels), gzip: true));
        for (int i = compressed.Length / 2; i < compressed.Length / 2 + 64; i++) compressed[i] = 0xFF;
        string images = _directory.Write("corrupt.gz", compressed);
        string labels = _directory.Write("labels", Idx([200], new byte[200]));
        var error = Assert.Throws<InvalidDataException>(() => Datasets.ReadIdx(images, labels));
        Assert.StartsWith($"'{images}', byte offset ", error.Message);
        Assert.Contains("(decompressed): the gzip data is truncated or corrupt", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_tiny_file_claiming_billions_of_images_fails_at_its_end_without_a_huge_allocation(bool gzip)
    {
        // 17 bytes (uncompressed): a header of 2,147,483,591 images of 1 × 1 pixels, then one pixel.
        string images = _directory.Write("claims.idx", Idx([2_147_483_591, 1, 1], [7]), gzip);
        string labels = _directory.Write("labels", Labels());
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => Datasets.ReadIdx(images, labels));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 4 << 20, $"{GC.GetAllocatedBytesForCurrentThread() - allocated} bytes allocated");
        Assert.Equal($"'{images}', byte offset 16{(gzip ? " (decompressed)" : "")}: expected 2147483591 bytes for the data (2147483591 × 1 × 1) " +
            "but the file ends at byte offset 17.", error.Message);
    }

    [Fact]
    public void A_truncated_gzip_file_is_an_error()
    {
        byte[] compressed = File.ReadAllBytes(_directory.Write("good.gz", Images(), gzip: true));
        string images = _directory.Write("truncated.gz", compressed[..^12]);
        string labels = _directory.Write("labels", Labels());
        var error = Assert.Throws<InvalidDataException>(() => Datasets.ReadIdx(images, labels));
        Assert.StartsWith($"'{images}', byte offset ", error.Message);
        Assert.Contains("gzip", error.Message);
    }

    [Fact]
    public void A_directory_is_refused_as_a_directory()
    {
        string images = _directory.Write("images", Images());
        var error = Assert.Throws<ArgumentException>(() => Datasets.ReadIdx(images, _directory.Path));
        Assert.Equal("labelsPath", error.ParamName);
        Assert.Contains($"'{_directory.Path}' is a directory", error.Message);
    }

    [Fact]
    public void A_missing_file_throws_FileNotFoundException_with_the_path()
    {
        string images = _directory.Write("images", Images());
        string absent = Path.Combine(_directory.Path, "absent");
        var error = Assert.Throws<FileNotFoundException>(() => Datasets.ReadIdx(images, absent));
        Assert.Equal(absent, error.FileName);
        Assert.Contains(absent, error.Message);
        Assert.Equal(absent, Assert.Throws<FileNotFoundException>(() => Datasets.ReadIdx(absent, images)).FileName);
    }

    [Fact]
    public void LoadFashionMnist_reads_the_four_standard_files_gzip_or_not()
    {
        _directory.Write("train-images-idx3-ubyte.gz", Images(), gzip: true);
        _directory.Write("train-labels-idx1-ubyte.gz", Labels(), gzip: true);
        _directory.Write("t10k-images-idx3-ubyte", Idx([2, Rows, Columns], new byte[2 * Rows * Columns]));
        _directory.Write("t10k-labels-idx1-ubyte", Idx([2], [9, 0]));
        var (train, test) = Datasets.LoadFashionMnist(_directory.Path);
        Assert.Equal(Count, train.Count);
        Assert.Equal(2, test.Count);
        Assert.Equal(10, train.ClassCount);
        Assert.Equal("T-shirt/top", train.ClassNames[0]);
        Assert.Equal("Ankle boot", test.ClassNames[test.Labels[0]]);
    }

    [Fact]
    public void LoadFashionMnist_without_the_files_says_how_to_get_them()
    {
        _directory.Write("train-images-idx3-ubyte.gz", Images(), gzip: true);
        var error = Assert.Throws<FileNotFoundException>(() => Datasets.LoadFashionMnist(_directory.Path));
        Assert.Contains(_directory.Path, error.Message);
        Assert.Contains("train-labels-idx1-ubyte", error.Message);
        Assert.Contains("apt-get install -y dataset-fashion-mnist", error.Message);
        Assert.Contains("/usr/share/datasets/fashion-mnist/", error.Message);
        Assert.Equal(Path.Combine(_directory.Path, "train-labels-idx1-ubyte.gz"), error.FileName);
    }
}
