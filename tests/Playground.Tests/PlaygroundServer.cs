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
        var publish = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-o", output, "-nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using (Process process = Process.Start(publish)!)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish of the playground failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
            }
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
        try
        {
            Directory.Delete(PublishDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
