using System.Text.Json.Serialization;

namespace DigitsService;

/// <summary>The body of <c>POST /predict</c>: <c>{"pixels": [64 numbers]}</c>, row by row, 0 to 16.</summary>
public sealed record PredictRequest([property: JsonPropertyName("pixels")] float[]? Pixels);

/// <summary>The answer: the digit and the probability of each of the 10 digits.</summary>
public sealed record Prediction(
    [property: JsonPropertyName("class")] int Class,
    [property: JsonPropertyName("probabilities")] float[] Probabilities);

/// <summary>The answer of <c>GET /health</c>.</summary>
public sealed record Health(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("parameters")] int Parameters);

/// <summary>Source-generated JSON for the request and answers.</summary>
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(Prediction))]
[JsonSerializable(typeof(Health))]
internal sealed partial class ServiceJson : JsonSerializerContext;
