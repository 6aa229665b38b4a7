using System;
using System.IO;
using System.Linq;
using System.Text;
using CompiledNets.Tests.Golden;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>CSV as users have it: header names, text labels, RFC 4180 quoting, BOM, CRLF, missing values, one-hot encoding.</summary>
public sealed class CsvTableTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private const string Iris = """
        sepal_length,sepal_width,petal_length,petal_width,species
        6.3,3.3,6.0,2.5,virginica
        5.1,3.5,1.4,0.2,setosa
        7.0,3.2,4.7,1.4,versicolor
        4.9,3.0,1.4,0.2,setosa
        5.8,2.7,5.1,1.9,virginica

        """;

    [Fact]
    public void Iris_with_a_header_and_species_names_reads_by_column_name()
    {
        string path = _directory.Write("iris.csv", Iris);
        Dataset byName = Datasets.ReadCsv(path, labelColumn: "species");
        Assert.Equal(["setosa", "versicolor", "virginica"], byName.ClassNames);
        Assert.Equal([2, 0, 1, 0, 2], byName.Labels.ToArray());
        Assert.Equal(4, byName.FeatureCount);
        Assert.Equal([6.3f, 3.3f, 6.0f, 2.5f], byName.Row(0).ToArray());

        // The same file by position, as a user would first try it.
        Dataset byPosition = Datasets.ReadCsv(path, hasHeader: true);
        Assert.Equal(byName.ClassNames, byPosition.ClassNames);
        Assert.Equal(byName.Labels.ToArray(), byPosition.Labels.ToArray());
        Assert.Equal(byName.Features.ToArray(), byPosition.Features.ToArray());

        // The label column need not be last.
        string first = _directory.Write("first.csv", "species,a,b\nb,1,2\na,3,4\n");
        Dataset labelFirst = Datasets.ReadCsv(first, labelColumn: "species");
        Assert.Equal([1, 0], labelFirst.Labels.ToArray());
        Assert.Equal([1f, 2f, 3f, 4f], labelFirst.Features.ToArray());
    }

    [Fact]
    public void Class_names_are_sorted_as_scikit_learns_LabelEncoder_sorts_them()
    {
        var fixture = FixtureJson.Load("csv_encoders.json");
        string[] labels = fixture.GetProperty("labels").EnumerateArray().Select(e => e.GetString()!).ToArray();
        string path = _directory.Write("labels.csv", "x,label\n" + string.Concat(labels.Select((label, i) => $"{i},{label}\n")));
        Dataset data = Datasets.ReadCsv(path, labelColumn: "label");
        Assert.Equal(fixture.GetProperty("classes").EnumerateArray().Select(e => e.GetString()!), data.ClassNames);
        Assert.Equal(fixture.GetProperty("codes").Ints(), data.Labels.ToArray());
    }

    [Fact]
    public void Quoted_fields_a_byte_order_mark_and_CRLF_read_as_RFC_4180_says()
    {
        string text = "\"name, with comma\",value,\"label\"\r\n" +
                      "\"say \"\"hi\"\"\",1.5,\"a, b\"\r\n" +
                      "\"two\r\nlines\",\" 2 \",c\r\n" +
                      "plain,3,\"a, b\"\r\n";
        byte[] bytes = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];
        string path = _directory.Write("quoted.csv", bytes);
        CsvTable table = CsvTable.Read(path);
        Assert.Equal(["name, with comma", "value", "label"], table.ColumnNames);
        Assert.Equal(3, table.RowCount);
        Assert.Equal(["plain", "say \"hi\"", "two\r\nlines"], table.Categories("name, with comma"));
        Assert.Equal(["a, b", "c"], table.Categories("label"));
        Assert.Equal([2, 3, 5], Enumerable.Range(0, 3).Select(table.LineOf));

        Dataset data = table.DropColumns("name, with comma").ToDataset("label");
        Assert.Equal([1.5f, 2f, 3f], data.Features.ToArray());
        Assert.Equal([0, 1, 0], data.Labels.ToArray());

        // The same through gzip, and with a UTF-16 byte-order mark.
        Assert.Equal(3, CsvTable.Read(_directory.Write("quoted.csv.gz", bytes, gzip: true)).RowCount);
        byte[] utf16 = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)];
        Assert.Equal(table.ColumnNames, CsvTable.Read(_directory.Write("utf16.csv", utf16)).ColumnNames);
    }

    [Theory]
    //          content after the header line "a,b,c",   line, what the message must say
    [InlineData("1,2,x\n3,,y\n", 3, "column 2 ('b'): expected a value but found an empty field (a missing value; fill or drop it before reading)")]
    [InlineData("1,2,x\n3,oops,y\n", 3, "column 2 ('b'): expected a finite number but found 'oops'")]
    [InlineData("1,2,x\n3,4,\"multi\nline\"\n6,seven,z\n", 5, "column 2 ('b'): expected a finite number but found 'seven'")]
    [InlineData("1,2,x\n\"3\n4\",5,y\n", 3, "column 1 ('a'): expected a finite number but found '3\\n4'")]
    [InlineData("1,2,x\n3,4,\"never closed\n5,6,z\n", 3, "column 3: a quoted field starts here but is never closed (a quote is missing)")]
    [InlineData("1,2,\"a\"b\"c\"\n", 2, "column 3: a quote inside a quoted field must be doubled (\"\") but one stands alone")]
    [InlineData("1,2,in\"si\"de\n", 2, "column 3: found a quote inside the unquoted field 'in\"si\"de'; quote the whole field and double the quotes inside it (RFC 4180)")]
    [InlineData("1,2,x\n3,4,\"y\n", 3, "column 3: a quoted field starts here but is never closed (a quote is missing)")]
    [InlineData("1,2,x\n1,2\n", 3, "expected 3 columns (as on the first line) but found 2")]
    public void A_missing_or_unparsable_value_names_the_file_the_line_and_the_column(string rows, int line, string expected)
    {
        foreach (string ending in new[] { "\n", "\r\n" })
        {
            string path = _directory.Write("bad.csv", ("a,b,c\n" + rows).Replace("\n", ending));
            var error = Assert.Throws<InvalidDataException>(() => CsvTable.Read(path));
            Assert.Equal($"'{path}', line {line}: {expected.Replace("\\n", ending == "\n" ? "\\n" : "\\r\\n")}.", error.Message);
        }
    }

    [Fact]
    public void Regression_targets_are_read_by_name_and_bad_choices_are_named()
    {
        string path = _directory.Write("houses.csv", "rooms,area,city,price,tax\n3,70,Oslo,250.5,3\n4,95,Bergen,310,4.5\n2,40,Oslo,150,2\n");
        CsvTable table = CsvTable.Read(path);
        Dataset data = table.DropColumns("city").ToDataset(["price", "tax"]);
        Assert.False(data.HasLabels);
        Assert.Equal(["price", "tax"], data.TargetNames);
        Assert.Equal([250.5f, 3f, 310f, 4.5f, 150f, 2f], data.Targets.ToArray());
        Assert.Equal([3f, 70f, 4f, 95f, 2f, 40f], data.Features.ToArray());

        var text = Assert.Throws<ArgumentException>(() => table.ToDataset(["price"]));
        Assert.Equal("encoder", text.ParamName);
        Assert.Contains("column 3 ('city') of '" + path + "' holds text (for example 'Oslo' on line 2); one-hot encode it", text.Message);
        var textTarget = Assert.Throws<ArgumentException>(() => table.ToDataset(["city"]));
        Assert.Equal("targetColumns", textTarget.ParamName);
        var unknown = Assert.Throws<ArgumentException>(() => table.ToDataset(["Price"]));
        Assert.Equal("targetColumns", unknown.ParamName);
        Assert.Contains("got 'Price'; its columns are 'rooms', 'area', 'city', 'price', 'tax'", unknown.Message);

        // Straight into a dataset: a text feature column is an error of the file.
        var direct = Assert.Throws<InvalidDataException>(() => Datasets.ReadCsv(path, targetColumns: ["price"]));
        Assert.StartsWith($"'{path}', line 2: column 3 ('city'): expected a finite number but found 'Oslo'", direct.Message);
        Assert.Contains("OneHotEncoder", direct.Message);

        string duplicate = _directory.Write("dup.csv", "a,b,a\n1,2,3\n");
        Assert.Equal($"'{duplicate}', line 1: column 3: the header name 'a' is also column 1's; columns are picked by name, so names must differ.",
            Assert.Throws<InvalidDataException>(() => CsvTable.Read(duplicate)).Message);
    }

    [Fact]
    public void A_one_hot_encoder_fitted_on_the_training_rows_encodes_as_scikit_learn()
    {
        var fixture = FixtureJson.Load("csv_encoders.json");
        var expected = fixture.Case("cases", "ignore");
        CsvTable train = CsvTable.Read(_directory.Write("train.csv", fixture.GetProperty("train_csv").GetString()!));
        CsvTable test = CsvTable.Read(_directory.Write("test.csv", fixture.GetProperty("test_csv").GetString()!));

        var encoder = new OneHotEncoder(["color", "doors"], HandleUnknown.Ignore).Fit(train);
        var categories = expected.GetProperty("categories").EnumerateArray().Select(c => c.EnumerateArray().Select(e => e.GetString()!).ToArray()).ToArray();
        Assert.Equal(categories[0], encoder.Categories("color"));
        Assert.Equal(categories[1], encoder.Categories("doors"));
        Assert.Equal(expected.GetProperty("feature_names").EnumerateArray().Select(e => e.GetString()!), encoder.GetFeatureNamesOut());

        Dataset trainSet = train.ToDataset(["price"], encoder);
        Dataset testSet = test.ToDataset(["price"], encoder);
        Assert.Equal(expected.GetProperty("train").Floats(), trainSet.Features.ToArray());
        Assert.Equal(expected.GetProperty("test").Floats(), testSet.Features.ToArray());
        Assert.Equal(["size", .. encoder.GetFeatureNamesOut()], train.FeatureNames(["price"], encoder));

        // handle_unknown='error': the unseen 'purple' (line 2 of the test file) is named with what the encoder knows.
        var strict = new OneHotEncoder(["color", "doors"]).Fit(train);
        var error = Assert.Throws<InvalidDataException>(() => test.ToDataset(["price"], strict));
        Assert.StartsWith($"'{test.Source}', line 2: column 2 ('color'): 'purple' is a category the OneHotEncoder did not see when fitted " +
            "(it knows 'blue', 'green, light', 'red')", error.Message);
        Assert.Contains("Found unknown categories ['purple'] in column 0", fixture.GetProperty("sklearn_error").GetString());

        Assert.Throws<InvalidOperationException>(() => train.ToDataset(["price"], new OneHotEncoder(["color"])));
        Assert.Equal("table", Assert.Throws<ArgumentException>(() => new OneHotEncoder(["colour"]).Fit(train)).ParamName);
        Assert.Equal("encoder", Assert.Throws<ArgumentException>(() => train.ToDataset(["size"], new OneHotEncoder(["size"]).Fit(train))).ParamName);
    }

    [Fact]
    public void A_split_table_names_its_classes_alike_in_every_part_and_the_encoder_sees_only_training_rows()
    {
        // 40 rows, classes a (30) and b (10), a color that is rare.
        var text = new StringBuilder("x,color,label\n");
        for (int i = 0; i < 40; i++) text.Append($"{i},{(i == 39 ? "violet" : i % 2 == 0 ? "red" : "blue")},{(i % 4 == 0 ? "b" : "a")}\n");
        CsvTable table = CsvTable.Read(_directory.Write("split.csv", text.ToString()));
        var (train, validation, test) = table.Split(0.5, 0.25, seed: 3, stratifyBy: "label");
        Assert.Equal((20, 10, 10), (train.RowCount, validation.RowCount, test.RowCount));

        var encoder = new OneHotEncoder(["color"], HandleUnknown.Ignore).Fit(train);
        Dataset[] parts = [train.ToDataset("label", encoder), validation.ToDataset("label", encoder), test.ToDataset("label", encoder)];
        foreach (Dataset part in parts)
        {
            Assert.Equal(["a", "b"], part.ClassNames);
            Assert.InRange(part.Labels.ToArray().Count(label => label == 1), part.Count / 4, (part.Count + 3) / 4); // stratified: a quarter are b
            Assert.Equal(1 + encoder.Categories("color").Count, part.FeatureCount);
        }
        bool violetInTrain = Enumerable.Range(0, train.RowCount).Any(r => train.LineOf(r) == 41);
        Assert.Equal(violetInTrain, encoder.Categories("color").Contains("violet"));
        Assert.Equal(["blue", "red", "violet"], table.Categories("color"));
    }

    [Fact]
    public void Integer_labels_of_a_table_keep_the_rules_of_ReadCsv()
    {
        CsvTable table = CsvTable.Read(_directory.Write("ints.csv", "a,label\n1,0\n2,3\n3,1.0\n"));
        Dataset data = table.ToDataset("label");
        Assert.Equal([0, 3, 1], data.Labels.ToArray());
        Assert.Equal(4, data.ClassCount);
        Assert.Equal(4, table.Rows([0, 2]).ToDataset("label").ClassCount); // the whole file's largest label
        var fractional = CsvTable.Read(_directory.Write("frac.csv", "a,label\n1,0\n2,1.5\n"));
        Assert.Equal($"'{fractional.Source}', line 3: column 2 ('label'): expected a non-negative integer label but found 1.5.",
            Assert.Throws<InvalidDataException>(() => fractional.ToDataset("label")).Message);
        Assert.Equal("classCount", Assert.Throws<ArgumentOutOfRangeException>(() => CsvTable.Read(_directory.Write("t.csv", "a,l\n1,x\n2,y\n")).ToDataset("l", classCount: 3)).ParamName);
    }
}

/// <summary>CSV cases the review found.</summary>
public sealed class CsvEdgeCaseTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Separate_files_number_their_classes_by_the_training_names()
    {
        Dataset train = CsvTable.Read(_directory.Write("train.csv", "x,label\n1,a\n2,b\n3,c\n")).ToDataset("label");
        CsvTable test = CsvTable.Read(_directory.Write("test.csv", "x,label\n4,c\n5,a\n"));
        Assert.Equal([1, 0], test.ToDataset("label").Labels.ToArray()); // its own names: a, c
        Dataset aligned = test.ToDataset("label", classNames: train.ClassNames);
        Assert.Equal([2, 0], aligned.Labels.ToArray());
        Assert.Equal(["a", "b", "c"], aligned.ClassNames);
        CsvTable unseen = CsvTable.Read(_directory.Write("unseen.csv", "x,label\n4,d\n"));
        Assert.Equal($"'{unseen.Source}', line 2: column 2 ('label'): expected one of the 3 class names given but found 'd'.",
            Assert.Throws<InvalidDataException>(() => unseen.ToDataset("label", classNames: train.ClassNames)).Message);
    }

    [Fact]
    public void An_empty_part_of_a_split_still_gets_the_real_message()
    {
        CsvTable table = CsvTable.Read(_directory.Write("t.csv", "x,color,y\n1,red,2\n2,blue,3\n"));
        var (_, validation, _) = table.Split(1.0, 0.0, seed: 1);
        Assert.Equal(0, validation.RowCount);
        Assert.Equal("encoder", Assert.Throws<ArgumentException>(() => validation.ToDataset(["y"])).ParamName);
        var encoder = new OneHotEncoder(["color"]).Fit(table);
        Assert.Equal(0, validation.ToDataset(["y"], encoder).Count);
    }

    [Fact]
    public void Minus_zero_is_zero_as_a_category()
    {
        CsvTable table = CsvTable.Read(_directory.Write("z.csv", "k,y\n0,1\n-0,2\n1,3\n"));
        var encoder = new OneHotEncoder(["k"]).Fit(table);
        Assert.Equal(["0", "1"], encoder.Categories("k"));
        Assert.Equal([1f, 0f, 1f, 0f, 0f, 1f], table.ToDataset(["y"], encoder).Features.ToArray());
    }

    [Fact]
    public void A_stray_quote_is_named_rather_than_the_column_count_it_caused()
    {
        string path = _directory.Write("stray.csv", "a,b\nx,pipe 12\"\ny,z\n");
        Assert.StartsWith($"'{path}', line 2: column 2: found a quote inside the unquoted field 'pipe 12\"",
            Assert.Throws<InvalidDataException>(() => CsvTable.Read(path)).Message);
    }

    [Fact]
    public void A_separator_Sep_cannot_use_is_refused_by_name()
    {
        string path = _directory.Write("s.csv", "a\n1\n");
        foreach (char separator in new[] { '\u00a7', '\u0001', 'x', '.' })
        {
            Assert.Equal("separator", Assert.Throws<ArgumentException>(() => CsvTable.Read(path, separator: separator)).ParamName);
        }
        Assert.Equal(2, CsvTable.Read(_directory.Write("semi.csv", "a;b\n1;2\n"), separator: ';').ColumnNames.Count);
        Assert.Equal(2, CsvTable.Read(_directory.Write("tab.csv", "a\tb\n1\t2\n"), separator: '\t').ColumnNames.Count);
    }
}
