using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Playground.Tests;

/// <summary>
/// The playground published (<c>dotnet publish -c Release</c>, as a user deploys it) and its static files served on a loopback
/// port by Kestrel, as any static host serves them.
/// </summary>
public sealed class PlaygroundServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PlaygroundServer(WebApplication app, string address, string publishDirectory)
    {
        _app = app;
        Address = address;
        PublishDirectory = publishDirectory;
    }

    /// <summary>The page's address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public string Address { get; }

    public string PublishDirectory { get; }

    /// <summary>The repository's root, found from the test assembly's place (tests/Playground.Tests/bin/&lt;configuration&gt;/net10.0).</summary>
    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    public static async Task<PlaygroundServer> StartAsync()
    {
        string output = Path.Combine(Path.GetTempPath(), "compilednets-playground-" + Guid.NewGuid().ToString("N")[..8]);
        string project = Path.Combine(RepositoryRoot, "samples", "Playground", "Playground.csproj");
        // Published optimized, as Release, but under a configuration of its own: other tests build the runtime in Release at the
        // same time (the package test packs it), and two builds must not write the same obj and bin folders.
        var publish = new ProcessStartInfo("dotnet", ["publish", project, "-c", "BrowserTest", "-p:Optimize=true", "-o", output, "-nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A test host started by `dotnet test` inherits the outer build's MSBuild variables; a fresh CLI must find its own, and
        // leave no build server behind.
        foreach (string name in publish.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            publish.Environment.Remove(name);
        }
        publish.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        publish.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        publish.Environment["UseSharedCompilation"] = "false";
        (int exitCode, string printed) = await RunToEnd(publish, TimeSpan.FromMinutes(8));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish of the playground failed ({exitCode}):\n{printed}");
        }
        string root = Path.Combine(output, "wwwroot");
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".wasm"] = "application/wasm";
        types.Mappings[".dat"] = "application/octet-stream";
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        WebApplication app = builder.Build();
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, ContentTypeProvider = types, ServeUnknownFileTypes = true });
        await app.StartAsync();
        string address = app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            : throw new InvalidOperationException("No server address.");
        return new PlaygroundServer(app, address.TrimEnd('/') + "/", output);
    }

    /// <summary>
    /// Runs a process to its end and returns its exit code and what it printed; one that outlives <paramref name="timeout"/> is
    /// killed with its children, so nothing it started keeps writing into the repository after the test.
    /// </summary>
    public static async Task<(int ExitCode, string Printed)> RunToEnd(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"'{start.FileName} {string.Join(" ", start.ArgumentList)}' did not finish within {timeout}: killed.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The published files a browser downloads (wwwroot), in bytes: as stored, and as served with the Brotli copies the publish made.</summary>
    public (long Files, long Brotli) DownloadSize()
    {
        string root = Path.Combine(PublishDirectory, "wwwroot");
        var all = Directory.GetFiles(root, "*", SearchOption.AllDirectories);
        long plain = all.Where(f => !f.EndsWith(".br", StringComparison.Ordinal) && !f.EndsWith(".gz", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);
        long brotli = all.Where(f => !f.EndsWith(".br", StringComparison.Ordinal) && !f.EndsWith(".gz", StringComparison.Ordinal))
            .Sum(f => File.Exists(f + ".br") ? new FileInfo(f + ".br").Length : new FileInfo(f).Length);
        return (plain, brotli);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        DeleteDirectory(PublishDirectory);
    }

    /// <summary>Removes a temporary directory, leaving it be when something still holds a file in it.</summary>
    public static void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
        }
    }
}
