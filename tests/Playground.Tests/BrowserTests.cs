using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PuppeteerSharp;
using Xunit;
using Xunit.Abstractions;

namespace Playground.Tests;

/// <summary>
/// The playground in a real browser: published, served on loopback, driven in headless Chromium through training runs of the
/// digits MLP (SGD) and CNN (Adam). The loss must fall, the test accuracy pass a threshold, and the numbers equal the console
/// twin's run of the same settings bit for bit (with the browser's vector width and rounding). Saves screenshots (one midway,
/// with the code section being run marked), reports the download size and the epoch times.
/// </summary>
[Trait("Category", "Browser")]
public sealed class BrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact(Timeout = 15 * 60 * 1000)]
    public async Task The_MLP_and_the_CNN_train_in_the_browser_as_in_the_console()
    {
        EnsureChromium();
        await using PlaygroundServer server = await PlaygroundServer.StartAsync();
        (long files, long brotli) = server.DownloadSize();
        output.WriteLine($"published wwwroot: {files / 1024.0 / 1024.0:F1} MiB in files, {brotli / 1024.0 / 1024.0:F1} MiB as Brotli-compressed responses");

        string profile = Directory.CreateTempSubdirectory("compilednets-chromium-").FullName;
        try
        {
            await TrainBoth(server, profile);
        }
        finally
        {
            PlaygroundServer.DeleteDirectory(profile);
        }
    }

    private async Task TrainBoth(PlaygroundServer server, string profile)
    {
        await using IBrowser browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            UserDataDir = profile,
            // As root in a sandbox without the network: no sandbox, no GPU, none of Chromium's own connections.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        await using IPage page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1500, Height = 1000 });

        // The digits MLP with SGD: the loss falls, the test accuracy passes 90 %, the bits are the console's.
        Run mlp = await TrainInBrowser(page, server, "DigitsMlp", epochs: 3, "Sgd", duringTraining: "playground-training.png");
        Assert.True(mlp.Losses[^1] < mlp.Losses[0], $"the training loss did not fall: {string.Join(", ", mlp.Losses)}");
        Assert.True(mlp.TestAccuracy > 0.9, $"test accuracy {mlp.TestAccuracy:P1}, expected above 90 %");
        await AssertConsoleTwinAgrees(mlp, "DigitsMlp", epochs: 3, "Sgd");

        // A digit from the test part, predicted on the page; then the picture of it all.
        await page.ClickAsync("#pick");
        await page.WaitForSelectorAsync(".probabilities .bar-row", new WaitForSelectorOptions { Timeout = 30_000 });
        string screenshot = Path.Combine(AppContext.BaseDirectory, "playground.png");
        await page.ScreenshotAsync(screenshot);
        output.WriteLine($"screenshot: {screenshot}");

        // The CNN with Adam, two epochs: the same bits as the console's too.
        Run cnn = await TrainInBrowser(page, server, "DigitsCnn", epochs: 2, "Adam", duringTraining: null);
        Assert.True(cnn.Losses[^1] < cnn.Losses[0], $"the CNN's training loss did not fall: {string.Join(", ", cnn.Losses)}");
        Assert.True(cnn.TestAccuracy > 0.85, $"the CNN's test accuracy {cnn.TestAccuracy:P1}, expected above 85 %");
        await AssertConsoleTwinAgrees(cnn, "DigitsCnn", epochs: 2, "Adam");
    }

    /// <summary>What the page's result element held after a run.</summary>
    private sealed record Run(string LossesText, float[] Losses, string TestAccuracyText, double TestAccuracy, string Checksum, string EpochMs, int VectorFloats);

    /// <summary>Opens the page with the settings in its address, presses Train and waits for the run to finish (a screenshot midway when asked).</summary>
    private async Task<Run> TrainInBrowser(IPage page, PlaygroundServer server, string network, int epochs, string optimizer, string? duringTraining)
    {
        await page.GoToAsync($"{server.Address}?network={network}&epochs={epochs}&batch=32&lr=0.01&optimizer={optimizer}", new NavigationOptions { Timeout = 120_000 });
        await page.WaitForSelectorAsync("#train:not([disabled])", new WaitForSelectorOptions { Timeout = 120_000 });
        // The generated code is on the page, opened at the architecture table.
        Assert.Contains($"Playground.{network}.g.cs", await page.EvaluateExpressionAsync<string>("document.querySelector('.right h2').textContent"));
        Assert.Contains("Layer  Module", await page.EvaluateExpressionAsync<string>("document.getElementById('table').textContent"));

        await page.ClickAsync("#train");
        if (duringTraining is not null)
        {
            // Midway: a section of the code marked as the one the step is at.
            await page.WaitForSelectorAsync(".code-section.running", new WaitForSelectorOptions { Timeout = 120_000 });
            await page.ScreenshotAsync(Path.Combine(AppContext.BaseDirectory, duringTraining));
        }
        await page.WaitForFunctionAsync("() => document.querySelector('#result')?.dataset.state === 'done'",
            new WaitForFunctionOptions { Timeout = 600_000, PollingInterval = 250 });
        async Task<string> Data(string name) => await page.EvaluateExpressionAsync<string>($"document.querySelector('#result').dataset.{name}");
        string losses = await Data("trainLosses"), accuracy = await Data("testAccuracy");
        var run = new Run(losses, losses.Split(' ').Select(l => float.Parse(l, CultureInfo.InvariantCulture)).ToArray(), accuracy,
            double.Parse(accuracy, CultureInfo.InvariantCulture), await Data("checksum"), await Data("epochMs"),
            int.Parse(await Data("vectorFloats"), CultureInfo.InvariantCulture));
        output.WriteLine($"browser, {network} with {optimizer}: {run.VectorFloats} floats per vector, train losses {losses}, " +
            $"test accuracy {run.TestAccuracy:P2}, epochs {run.EpochMs} ms, parameters {run.Checksum}");
        Assert.Equal(epochs, run.Losses.Length);
        return run;
    }

    /// <summary>The console twin, run with the browser's arithmetic, gives the browser's losses, accuracy and parameters bit for bit.</summary>
    private async Task AssertConsoleTwinAgrees(Run browser, string network, int epochs, string optimizer)
    {
        // 128-bit vectors without fused multiply-add (AVX off), or no SIMD at all, as the browser had.
        (string Name, string Value) arithmetic = browser.VectorFloats switch
        {
            4 => ("DOTNET_EnableAVX", "0"),
            1 => ("DOTNET_EnableHWIntrinsic", "0"),
            _ => throw new InvalidOperationException($"The browser ran {browser.VectorFloats}-float vectors; the console twin has no setting for that."),
        };
        string console = await RunConsoleTwin(arithmetic, "--network", network, "--epochs", epochs.ToString(CultureInfo.InvariantCulture),
            "--batch", "32", "--lr", "0.01", "--optimizer", optimizer);
        string Line(string key) => console.Split('\n').Single(l => l.StartsWith(key + " ", StringComparison.Ordinal))[(key.Length + 1)..].Trim();
        output.WriteLine($"console ({arithmetic.Name}={arithmetic.Value}), {network}: train losses {Line("train-losses")}, epochs {Line("epoch-ms")} ms, parameters {Line("checksum")}");
        Assert.Equal(browser.VectorFloats.ToString(CultureInfo.InvariantCulture), Line("vector-floats"));
        Assert.Equal(browser.LossesText, Line("train-losses"));
        Assert.Equal(browser.TestAccuracyText, Line("test-accuracy"));
        Assert.Equal(browser.Checksum, Line("checksum"));
    }

    private static async Task<string> RunConsoleTwin((string Name, string Value) environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Playground.Console.dll"), .. arguments]);
        start.Environment[environment.Name] = environment.Value;
        // The settings of the test run itself (CI repeats the tests without AVX-512 or SIMD) must not reach the twin.
        foreach (string name in new[] { "DOTNET_EnableAVX512F", "DOTNET_EnableAVX512", "DOTNET_EnableHWIntrinsic" }.Where(n => n != environment.Name))
        {
            start.Environment.Remove(name);
        }
        (int exitCode, string printed) = await PlaygroundServer.RunToEnd(start, TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, $"the console twin failed ({exitCode}): {printed}");
        return printed;
    }

    /// <summary>Debian's Chromium, installed through apt-get when it is missing (as root, as CI runs); the project's tests need nothing else.</summary>
    private void EnsureChromium()
    {
        if (File.Exists(Chromium)) return;
        foreach (string[] command in new[] { new[] { "update", "-qq" }, new[] { "install", "-y", "-qq", "chromium", "chromium-driver" } })
        {
            var start = new ProcessStartInfo("apt-get", command) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using Process process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            output.WriteLine($"apt-get {string.Join(" ", command)}: exit code {process.ExitCode} {error}");
        }
        Assert.True(File.Exists(Chromium), $"Chromium is not at {Chromium} and apt-get could not install it: install Debian's chromium and chromium-driver packages.");
    }
}
