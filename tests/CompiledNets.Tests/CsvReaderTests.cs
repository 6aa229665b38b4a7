using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>Datasets.ReadCsv on good files, gzip files, and every kind of malformed file.</summary>
public sealed class CsvReaderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_features_and_the_last_column_as_labels(bool gzip)
    {
        string path = _directory.Write(gzip ? "data.csv.gz" : "data.csv", "1,2.5,0\n-3,4e2,2\n0.125, 7 ,1\n", gzip);
        Dataset data = Datasets.ReadCsv(path);
        Assert.Equal(3, data.Count);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal(3, data.ClassCount); // largest label + 1
        Assert.Equal(["0", "1", "2"], data.ClassNames);
        Assert.Equal([1f, 2.5f, -3f, 400f, 0.125f, 7f], data.Features.ToArray());
        Assert.Equal([0, 2, 1], data.Labels.ToArray());
    }

    [Fact]
    public void Gzip_is_detected_by_its_magic_bytes_not_the_name()
    {
        string path = _directory.Write("compressed-but-named.csv", "1,2,1\n", gzip: true);
        Dataset data = Datasets.ReadCsv(path);
        Assert.Equal([1f, 2f], data.Features.ToArray());
    }

    [Fact]
    public void Header_label_column_separator_class_count_blank_lines_and_crlf()
    {
        string path = _directory.Write("data.csv", "label;x;y\r\n\r\n3.0;1;2\r\n  \r\n0;-1;-2\r\n");
        Dataset data = Datasets.ReadCsv(path, labelColumn: 0, hasHeader: true, separator: ';', classCount: 5);
        Assert.Equal(2, data.Count);
        Assert.Equal(5, data.ClassCount);
        Assert.Equal([1f, 2f, -1f, -2f], data.Features.ToArray());
        Assert.Equal([3, 0], data.Labels.ToArray());
    }

    [Theory]
    //            file content,                       header, line, what the message must say
    [InlineData("1,2,0\n3,4\n", false, 2, "expected 3 columns (as on the first line) but found 2")]
    [InlineData("1,2,0\n3,4,1,5\n", false, 2, "expected 3 columns (as on the first line) but found 4")]
    [InlineData("1,2,0\n3,x,1\n", false, 2, "column 2: expected a finite number but found 'x'")]
    [InlineData("1,,0\n", false, 1, "column 2: expected a value but found an empty field (a missing value; fill or drop it before reading)")]
    [InlineData("NaN,1,0\n", false, 1, "column 1: expected a finite number but found 'NaN'")]
    [InlineData("1,2,0\n1,1e99,0\n", false, 2, "column 2: expected a finite number but found '1e99'")]
    [InlineData("1,2,-1\n", false, 1, "column 3: expected a non-negative integer label but found '-1'")]
    [InlineData("1,2,0\n\n1,2,1.5\n", false, 3, "column 3: expected a non-negative integer label but found '1.5'")]
    [InlineData("1,2,0\n1,2,cat\n", false, 2, "column 3: expected a non-negative integer label but found 'cat'")]
    [InlineData("a,b,label\n1,2,0\n1,2\n", true, 3, "expected 3 columns (as on the first line) but found 2")]
    [InlineData("a,b\n1,2,0\n", true, 2, "expected 2 columns (as on the first line) but found 3")]
    [InlineData("7\n", false, 1, "expected at least 2 columns (features and a label) separated by ',' but found 1")]
    public void A_malformed_line_names_the_file_the_line_and_what_was_expected(string content, bool hasHeader, int line, string expected)
    {
        foreach (bool gzip in new[] { false, true })
        {
            string path = _directory.Write(gzip ? "bad.csv.gz" : "bad.csv", content, gzip);
            var error = Assert.Throws<InvalidDataException>(() => Datasets.ReadCsv(path, hasHeader: hasHeader));
            Assert.Equal($"'{path}', line {line}: {expected}.", error.Message);
        }
    }

    [Fact]
    public void A_label_outside_the_given_class_count_names_the_line()
    {
        string path = _directory.Write("data.csv", "1,0\n2,1\n3,2\n");
        var error = Assert.Throws<InvalidDataException>(() => Datasets.ReadCsv(path, classCount: 2));
        Assert.Equal($"'{path}', line 3: column 2: expected a label in [0, 2) (classCount = 2) but found 2.", error.Message);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("\n\n", false)]
    [InlineData("x,label\n", true)]
    public void A_file_without_data_rows_is_an_error(string content, bool hasHeader)
    {
        string path = _directory.Write("empty.csv", content);
        var error = Assert.Throws<InvalidDataException>(() => Datasets.ReadCsv(path, hasHeader: hasHeader));
        Assert.Contains(path, error.Message);
        Assert.Contains("expected at least one data row but found none", error.Message);
    }

    [Theory]
    [InlineData(10)] // the first deflate block header: 0xFF declares the reserved block type 3
    [InlineData(-8)] // the CRC-32 in the trailer, which no longer matches the data
    public void Corrupt_gzip_data_names_the_file(int position)
    {
        string text = string.Concat(Enumerable.Range(0, 2000).Select(i => $"{i},{i * 3 % 17},{i % 4}\n"));
        byte[] compressed = File.ReadAllBytes(_directory.Write("good.csv.gz", text, gzip: true));
        compressed[position < 0 ? compressed.Length + position : position] ^= 0xFF;
        string path = _directory.Write("corrupt.csv.gz", compressed);
        var error = Assert.Throws<InvalidDataException>(() => Datasets.ReadCsv(path));
        Assert.StartsWith($"'{path}', line ", error.Message);
        Assert.True(error.Message.Contains("the gzip data is truncated or corrupt"), error.Message);
    }

    [Fact]
    public void Every_truncation_of_a_gzip_file_is_an_error_that_says_gzip()
    {
        string text = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"{i % 97},{i * 7 % 31}.5,{i % 3}\n"));
        byte[] compressed = File.ReadAllBytes(_directory.Write("good.csv.gz", text, gzip: true));
        Assert.Equal(20_000, Datasets.ReadCsv(_directory.Write("copy.csv.gz", compressed)).Count);
        for (int point = 0; point < 300; point++)
        {
            // From 2 bytes on, the file starts with the gzip magic number and is read as gzip.
            int length = 2 + (int)((long)point * (compressed.Length - 3) / 299);
            string path = _directory.Write("truncated.csv.gz", compressed[..length]);
            var error = Assert.Throws<InvalidDataException>(() => Datasets.ReadCsv(path));
            Assert.StartsWith($"'{path}'", error.Message);
            Assert.True(error.Message.Contains("gzip") && error.Message.Contains("truncated"), $"cut at {length} of {compressed.Length}: {error.Message}");
        }
    }

    [Theory]
    [InlineData("2\0", "column 1: expected a finite number but found '2\\0'")]
    [InlineData("\0", "column 1: expected a finite number but found '\\0'")]
    public void A_NUL_character_in_a_field_is_an_error(string field, string expected)
    {
        string path = _directory.Write("nul.csv", $"1,0\n{field},1\n");
        Assert.Equal($"'{path}', line 2: {expected}.", Assert.Throws<InvalidDataException>(() => Datasets.ReadCsv(path)).Message);
        string label = _directory.Write("nul-label.csv", "1,0\n2,1\0\n");
        Assert.Contains("line 2: column 2: expected a non-negative integer label but found '1\\0'", Assert.Throws<InvalidDataException>(() => Datasets.ReadCsv(label)).Message);
    }

    [Theory]
    [InlineData("2000000000")]
    [InlineData("2147483647")]
    [InlineData("65536")]
    public void A_huge_label_without_a_class_count_names_the_line_and_suggests_classCount(string label)
    {
        string path = _directory.Write("huge.csv", $"1,0\n2,1\n3,{label}\n");
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => Datasets.ReadCsv(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1 << 20);
        Assert.StartsWith($"'{path}', line 3: column 2: expected a label below 65536 when classCount is not given but found {label}", error.Message);
        Assert.Contains("pass classCount", error.Message);
        Assert.Equal(65536, Datasets.ReadCsv(_directory.Write("largest.csv", "1,65535\n")).ClassCount);
    }

    [Fact]
    public void An_explicit_huge_class_count_is_allowed_and_allocates_nothing_per_class()
    {
        string path = _directory.Write("few.csv", "1,0\n2,2000000000\n");
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        Dataset data = Datasets.ReadCsv(path, classCount: int.MaxValue);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1 << 20);
        Assert.Equal(int.MaxValue, data.ClassCount);
        Assert.Equal(int.MaxValue, data.ClassNames.Count);
        Assert.Equal("2000000000", data.ClassNames[2_000_000_000]);
        Assert.Equal(2_000_000_000, data.Labels[1]);
    }

    [Fact]
    public void A_line_longer_than_the_limit_names_the_line_and_allocates_a_bounded_buffer()
    {
        // 40 million characters without a line break after a good first line.
        string path = Path.Combine(_directory.Path, "one-line.csv");
        using (var writer = new StreamWriter(path))
        {
            writer.Write("1,0\n");
            var chunk = new string('7', 1 << 20);
            for (int i = 0; i < 40; i++) writer.Write(chunk);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => Datasets.ReadCsv(path));
        long used = GC.GetAllocatedBytesForCurrentThread() - allocated;
        // Sep's buffer doubles up to the limit: about 4 times the limit's bytes in all (134,280,152 bytes measured, 62 KB
        // over exactly 4 times in an optimized build). Reading the whole 40-million-character line would double it to 64
        // million characters, 256 MB in all.
        Assert.True(used < 5L * sizeof(char) * CsvParser.MaxLineLength, $"{used} bytes allocated");
        Assert.Equal($"'{path}', line 2: expected a line of at most {CsvParser.MaxLineLength} characters but this one is longer " +
            "(or a quoted field is never closed): not a text file of rows, or a damaged one.", error.Message);
    }

    [Fact]
    public void A_directory_is_refused_as_a_directory()
    {
        var error = Assert.Throws<ArgumentException>(() => Datasets.ReadCsv(_directory.Path));
        Assert.Equal("path", error.ParamName);
        Assert.Contains($"'{_directory.Path}' is a directory", error.Message);
    }

    [Fact]
    public void A_missing_file_throws_FileNotFoundException_with_the_path()
    {
        string path = Path.Combine(_directory.Path, "absent.csv");
        var error = Assert.Throws<FileNotFoundException>(() => Datasets.ReadCsv(path));
        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Bad_arguments_name_the_argument_and_the_values()
    {
        string path = _directory.Write("data.csv", "1,2,0\n");
        var column = Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.ReadCsv(path, labelColumn: 3));
        Assert.Equal("labelColumn", column.ParamName);
        Assert.Contains("[-1, 3)", column.Message);
        Assert.Contains(path, column.Message);
        Assert.Contains("got 3", column.Message);

        Assert.Equal("labelColumn", Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.ReadCsv(path, labelColumn: -2)).ParamName);
        Assert.Equal("classCount", Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.ReadCsv(path, classCount: 0)).ParamName);
        var separator = Assert.Throws<ArgumentException>(() => Datasets.ReadCsv(path, separator: '.'));
        Assert.Equal("separator", separator.ParamName);
        Assert.Contains("'.'", separator.Message);
    }
}
