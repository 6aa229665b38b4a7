using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using CompiledNets;
using CompiledNets.Samples;
using Digits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace DigitsService.Tests;

/// <summary>
/// The service on a real loopback port (Kestrel, through <see cref="WebApplicationFactory{TEntryPoint}.UseKestrel(int)"/>):
/// answers from 32 concurrent clients equal the single-threaded predictions, bad bodies get a 400 naming the problem,
/// and a saved model is loaded rather than retrained.
/// </summary>
public sealed class DigitsServiceTests(ITestOutputHelper log) : IDisposable
{
    private const int Requests = 10_000;
    private const int Clients = 32;
    private readonly string _modelDirectory = Directory.CreateTempSubdirectory("digits-service-").FullName;

    public void Dispose() => Directory.Delete(_modelDirectory, recursive: true);

    private WebApplicationFactory<Program> Start()
    {
        // Port 0: the system picks a free loopback port, so runs never collide.
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseSetting("ModelDirectory", _modelDirectory)
            .UseSetting("Logging:LogLevel:Default", "Warning")
            .UseEnvironment("Production")
            .UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0"));
        factory.UseKestrel();
        factory.StartServer();
        return factory;
    }

    [Fact]
    public async Task Ten_thousand_requests_from_32_clients_each_get_the_single_threaded_prediction()
    {
        using var factory = Start();
        using HttpClient client = factory.CreateClient();
        log.WriteLine($"serving on {client.BaseAddress}");
        Assert.Equal("127.0.0.1", client.BaseAddress!.Host);
        Assert.NotEqual(0, client.BaseAddress.Port);
        var model = factory.Services.GetRequiredService<DigitsModel>();

        // Every image of the digits set, raw pixels as a client sends them; the expected answers computed on one thread.
        Dataset digits = Datasets.LoadDigits();
        float[][] images = Enumerable.Range(0, digits.Count).Select(i => digits.Row(i).ToArray()).ToArray();
        Prediction[] expected = images.Select(image => model.Predict(image)).ToArray();

        int next = -1, wrong = 0;
        var latencies = new double[Requests];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            for (int request; (request = Interlocked.Increment(ref next)) < Requests;)
            {
                int image = request * 7 % images.Length;
                long start = Stopwatch.GetTimestamp();
                using HttpResponseMessage response = await client.PostAsJsonAsync("/predict", new { pixels = images[image] });
                response.EnsureSuccessStatusCode();
                var answer = await response.Content.ReadFromJsonAsync<Prediction>();
                latencies[request] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (answer is null || answer.Class != expected[image].Class || !answer.Probabilities.SequenceEqual(expected[image].Probabilities))
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        })));
        double seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        log.WriteLine($"{Requests} requests from {Clients} clients in {seconds:F2} s ({Requests / seconds:F0} per second in process), " +
            $"p50 {latencies[Requests / 2]:F2} ms, p99 {latencies[Requests * 99 / 100]:F2} ms; {wrong} answers differed from the single-threaded prediction");
        Assert.Equal(0, wrong);
        // The model is a real one: it classifies the training images it has seen far better than chance.
        double accuracy = expected.Where((p, i) => p.Class == digits.Labels[i]).Count() / (double)images.Length;
        Assert.True(accuracy > 0.9, $"accuracy {accuracy:P1}");
    }

    private static string Pixels(float fifth) =>
        "{\"pixels\":[" + string.Join(",", Enumerable.Range(0, 64).Select(i => i == 5 ? fifth.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "1")) + "]}";

    [Fact]
    public async Task Bad_bodies_get_a_400_that_names_the_problem()
    {
        using var factory = Start();
        using HttpClient client = factory.CreateClient();
        string missing = "Expected \"pixels\": an array of 64 numbers (8 × 8 pixels, 0 to 16), but it is missing.";
        foreach ((string body, string detail) in new[]
        {
            ("""{"pixels":[1,2,3]}""", "Expected 64 pixel values (8 × 8) but got 3."),
            ("""{}""", missing),
            ("""{"pixels":null}""", missing),
            (Pixels(3e38f), "Expected pixel values from 0 to 16 but pixels[5] is 3E+38."),
            (Pixels(-1), "Expected pixel values from 0 to 16 but pixels[5] is -1."),
            (Pixels(16.5f), "Expected pixel values from 0 to 16 but pixels[5] is 16.5."),
        })
        {
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await client.PostAsync("/predict", content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>();
            Assert.Equal(detail, problem!["detail"].ToString());
        }

        // Malformed JSON, and a number too large for a float, are refused by the framework before the model sees them.
        foreach (string body in new[] { """{"pixels":[1,2""", """{"pixels":[1e99]}""" })
        {
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await client.PostAsync("/predict", content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task Without_saved_files_it_trains_at_start_and_with_them_it_loads_them()
    {
        using (var factory = Start())
        {
            using HttpClient client = factory.CreateClient();
            var health = await client.GetFromJsonAsync<Health>("/health");
            Assert.Equal("ok", health!.Status);
            Assert.StartsWith("trained at start", health.Model);
            Assert.Equal(DigitsNet.ParameterCount, health.Parameters);
        }

        // Files as the Digits sample writes them, from a run with other weights than the service would train.
        var recipe = new DigitsRecipe();
        recipe.Trainer.Fit(recipe.Train, null, epochs: 3);
        ModelFiles.Save(_modelDirectory, DigitsModel.FileName, recipe.Network, recipe.Standardizer);
        float[] pixels = Datasets.LoadDigits().Row(5).ToArray();
        float[] input = (float[])pixels.Clone();
        recipe.Standardizer.Transform(input);
        var logits = new float[DigitsNet.OutputSize];
        recipe.Network.Forward(input, logits);

        using (var factory = Start())
        {
            using HttpClient client = factory.CreateClient();
            var health = await client.GetFromJsonAsync<Health>("/health");
            Assert.Equal($"loaded {Path.Combine(_modelDirectory, "digits.safetensors")}", health!.Model);
            using HttpResponseMessage response = await client.PostAsJsonAsync("/predict", new { pixels });
            var answer = await response.Content.ReadFromJsonAsync<Prediction>();
            Assert.Equal(Array.IndexOf(logits, logits.Max()), answer!.Class);
        }
    }
}
