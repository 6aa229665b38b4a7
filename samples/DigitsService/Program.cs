// The digits model as a web service: POST /predict with {"pixels": [64 numbers]} answers {"class", "probabilities"};
// GET /health says the service is up and where its model came from. One network instance serves every request:
// CompiledNets' inference is safe from any number of threads (see the README's threading contract).
//
//   dotnet run --project samples/Digits -c Release          # writes digits-output/digits.safetensors (optional)
//   dotnet run --project samples/DigitsService -c Release   # serves it, or trains at start when it is missing
//   curl -s localhost:5000/predict -H 'Content-Type: application/json' -d '{"pixels":[0,0,5,13,9,1,0,0, ...]}'
using Digits;
using DigitsService;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, ServiceJson.Default));
builder.Services.AddProblemDetails();
builder.Services.AddSingleton(services => DigitsModel.LoadOrTrain(
    builder.Configuration["ModelDirectory"] ?? "digits-output", services.GetRequiredService<ILogger<DigitsModel>>()));

var app = builder.Build();
// Load (or train) before the first request rather than during it.
app.Services.GetRequiredService<DigitsModel>();

app.MapGet("/health", (DigitsModel model) => new Health("ok", model.Source, DigitsNet.ParameterCount));

app.MapPost("/predict", (PredictRequest request, DigitsModel model) =>
    DigitsModel.Problem(request.Pixels) is { } problem
        ? Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Bad pixels")
        : Results.Ok(model.Predict(request.Pixels)));

app.Run();

/// <summary>The entry point, public so tests can start the service in process.</summary>
public partial class Program;
