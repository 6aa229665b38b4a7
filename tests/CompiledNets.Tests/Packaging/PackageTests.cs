using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests;

/// <summary>
/// The path a user takes: <c>dotnet pack</c> the runtime, then a fresh console project outside the repository
/// references the package from a local folder, declares a network with the attributes, trains it with the PyTorch
/// loop and prints its test accuracy. That the program compiles proves the generator came with the package and
/// ran; that it learns proves the runtime did.
/// </summary>
/// <remarks>
/// Every run packs a package version of its own (<c>0.1.0-test…</c>) and restores into a packages folder of its own, so a
/// package cached by an earlier run can never stand in for this one. The machine's global packages folder is a
/// read-only fallback, so System.Numerics.Tensors comes from there when the repository's restore put it there,
/// and from the machine's usual sources otherwise: the project's nuget.config only adds the local folder.
/// </remarks>
public sealed class PackageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public void Packed_package_trains_a_network_in_a_fresh_console_project()
    {
        var total = Stopwatch.StartNew();
        string repositoryRoot = FindRepositoryRoot();
        using var work = new TempDirectory();
        string feed = Path.Combine(work.Path, "feed");
        string app = Path.Combine(work.Path, "app");
        string packages = Path.Combine(work.Path, "packages");
        Directory.CreateDirectory(app);

        // Pack. The build goes to an artifacts folder beside this test assembly: never shared with builds of
        // the repository that may run at the same time, kept between runs so later packs are incremental. Only
        // the package's version is made unique, not the assembly's, so that needs no recompilation.
        string version = "0.1.0-test" + Guid.NewGuid().ToString("N");
        Run(repositoryRoot, null, "pack", Path.Combine(repositoryRoot, "src", "CompiledNets", "CompiledNets.csproj"),
            "-c", "Release", "-o", feed, "-p:PackageVersion=" + version,
            "--artifacts-path", Path.Combine(AppContext.BaseDirectory, "package-build"));
        string package = Assert.Single(Directory.GetFiles(feed, "*.nupkg"));
        Assert.Equal(version, CheckPackage(package));

        // The consumer: nothing from the folders above it, the local feed added to the machine's sources.
        string machinePackages = GlobalPackagesFolder(app);
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(app, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="compilednets-local" value="{feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{machinePackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="CompiledNets" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), ConsumerProgram);

        string printed = Run(app, packages, "run", "-c", "Release");

        // The generated constants: 4·8 + 8 + 8·3 + 3 parameters.
        Assert.Contains("InputSize=4 OutputSize=3 ParameterCount=67", printed);
        Match accuracy = Regex.Match(printed, @"Accuracy of the network on the (\d+) test samples: ([\d.]+) %");
        Assert.True(accuracy.Success, "no accuracy line in the program's output:\n" + printed);
        double percent = double.Parse(accuracy.Groups[2].Value, CultureInfo.InvariantCulture);
        output.WriteLine($"package {Path.GetFileName(package)}; test accuracy {percent} %; {total.Elapsed.TotalSeconds:F1} s in all");
        Assert.True(percent > 90, $"test accuracy {percent} % is not above 90 %");
    }

    /// <summary>Checks the package's layout and metadata; returns its version.</summary>
    private static string CheckPackage(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var files = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("lib/net10.0/CompiledNets.dll", files);
        Assert.Contains("analyzers/dotnet/cs/CompiledNets.Generator.dll", files);
        Assert.Contains("analyzers/dotnet/cs/CompiledNets.CodeFixes.dll", files);
        Assert.Contains("README.md", files);

        using var nuspecStream = zip.Entries.Single(e => e.FullName == "CompiledNets.nuspec").Open();
        XElement metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        Assert.Equal("CompiledNets", Field("id"));
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("README.md", Field("readme"));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")));
        Assert.False(string.IsNullOrWhiteSpace(Field("tags")));
        // The generator ships inside the package: it must not be a dependency a user would have to find. Sep parses CSV.
        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).ToList();
        Assert.Equal(["Sep", "System.Numerics.Tensors"], dependencies.Order(StringComparer.Ordinal));
        return Field("version");
    }

    /// <summary>Where restores on this machine keep packages (NUGET_PACKAGES, the configured folder, or the default).</summary>
    private string GlobalPackagesFolder(string workingDirectory)
    {
        string listed = Run(workingDirectory, null, "nuget", "locals", "global-packages", "--list");
        Match match = Regex.Match(listed, @"global-packages:\s*(.+?)\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, "could not read the global packages folder from:\n" + listed);
        return match.Groups[1].Value;
    }

    /// <summary>
    /// Runs the dotnet CLI and returns what it printed; fails with that output on a non-zero exit or a timeout.
    /// <paramref name="packagesFolder"/>, when given, replaces the machine's global packages folder.
    /// </summary>
    private string Run(string workingDirectory, string? packagesFolder, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // A test host started by `dotnet test` inherits the outer build's MSBuild variables (SDK paths, node
        // settings); a fresh CLI must find its own. No build servers either: nothing may outlive the test.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        if (packagesFolder is not null)
        {
            start.Environment["NUGET_PACKAGES"] = packagesFolder;
        }

        var printed = new StringBuilder();
        var timer = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (printed) { printed.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (printed) { printed.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        bool exited = process.WaitForExit(StepTimeout);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();

        string command = "dotnet " + string.Join(' ', arguments);
        string text;
        lock (printed)
        {
            text = printed.ToString();
        }
        output.WriteLine($"{command}: {timer.Elapsed.TotalSeconds:F1} s");
        Assert.True(exited, $"{command} did not finish within {StepTimeout.TotalMinutes} minutes:\n{text}");
        Assert.True(process.ExitCode == 0, $"{command} exited with {process.ExitCode}:\n{text}");
        return text;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CompiledNets.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no CompiledNets.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>
    /// A user's first program: three well-separated clusters in 4 dimensions, a 4-8-3 MLP, the PyTorch loop.
    /// It prints the generated constants and the test accuracy for the test to check.
    /// </summary>
    private const string ConsumerProgram = """
        using CompiledNets;

        const int Features = 4, Classes = 3;
        var random = new Random(7);
        (float[] Inputs, int[] Labels) Make(int samples)
        {
            var inputs = new float[samples * Features];
            var labels = new int[samples];
            for (int i = 0; i < samples; i++)
            {
                int label = random.Next(Classes);
                labels[i] = label;
                for (int j = 0; j < Features; j++)
                {
                    // Class c sits at +3 on feature c and at 0 elsewhere, with unit noise.
                    float center = j == label ? 3f : 0f;
                    inputs[i * Features + j] = center + (float)(random.NextDouble() * 2 - 1);
                }
            }
            return (inputs, labels);
        }

        var (trainInputs, trainLabels) = Make(600);
        var (testInputs, testLabels) = Make(300);
        var trainLoader = new DataLoader(trainInputs, trainLabels, batchSize: 32, shuffle: true, seed: 1);
        var testLoader = new DataLoader(testInputs, testLabels, batchSize: 32);

        Console.WriteLine($"InputSize={Net.InputSize} OutputSize={Net.OutputSize} ParameterCount={Net.ParameterCount}");

        var net = new Net(seed: 0);
        var criterion = new CrossEntropyLoss();
        var optimizer = new Sgd(net, lr: 0.05f, momentum: 0.9f);
        for (int epoch = 0; epoch < 20; epoch++)
        {
            float runningLoss = 0f;
            foreach (var (inputs, labels) in trainLoader)
            {
                optimizer.ZeroGrad();
                var outputs = net.Forward(inputs);
                var loss = criterion.Forward(outputs, labels);
                loss.Backward();
                optimizer.Step();
                runningLoss += loss.Item();
            }
            Console.WriteLine($"Epoch [{epoch + 1}], Loss: {runningLoss / trainLoader.Count:F4}");
        }

        int correct = 0, total = 0;
        int[] predictedBuffer = new int[testLoader.BatchSize];
        using (net.NoGrad())
        {
            foreach (var (inputs, labels) in testLoader)
            {
                var outputs = net.Forward(inputs);
                var predicted = outputs.ArgMax(predictedBuffer);
                total += labels.Length;
                correct += predicted.CountEqual(labels);
            }
        }
        Console.WriteLine(FormattableString.Invariant($"Accuracy of the network on the {total} test samples: {100.0 * correct / total:F1} %"));

        [Linear(4, 8)]
        [ReLU]
        [Linear(8, 3)]
        public partial class Net;
        """;
}
