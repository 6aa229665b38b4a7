namespace CompiledNets;

/// <summary>What a <see cref="LayerInfo"/> computes, named as PyTorch names the module.</summary>
public enum LayerKind
{
    /// <summary><c>nn.Linear</c>, <c>y = x Wᵀ + b</c>; exported as ONNX <c>Gemm</c> with <c>transB = 1</c>.</summary>
    Linear,

    /// <summary><c>nn.ReLU</c>; exported as ONNX <c>Relu</c>.</summary>
    ReLU,

    /// <summary><c>nn.LeakyReLU(negative_slope)</c>; exported as ONNX <c>LeakyRelu</c> with <c>alpha = NegativeSlope</c>.</summary>
    LeakyReLU,

    /// <summary><c>nn.Sigmoid</c>; exported as ONNX <c>Sigmoid</c>.</summary>
    Sigmoid,

    /// <summary><c>nn.Tanh</c>; exported as ONNX <c>Tanh</c>.</summary>
    Tanh,

    /// <summary><c>nn.GELU</c> (exact, erf form); exported as ONNX <c>Div</c>, <c>Erf</c>, <c>Add</c>, <c>Mul</c>, <c>Mul</c> (opset 13 has no Gelu).</summary>
    GELU,

    /// <summary><c>nn.SiLU</c>; exported as ONNX <c>Sigmoid</c> then <c>Mul</c>.</summary>
    SiLU,

    /// <summary><c>nn.Dropout(p)</c>; the identity in evaluation, so the exported inference graph leaves it out.</summary>
    Dropout,

    /// <summary><c>nn.Conv2d</c>; see <see cref="LayerInfo.Window"/> for its sizes.</summary>
    Conv2d,

    /// <summary><c>nn.MaxPool2d</c>; see <see cref="LayerInfo.Window"/>.</summary>
    MaxPool2d,

    /// <summary><c>nn.AvgPool2d</c>; see <see cref="LayerInfo.Window"/>.</summary>
    AvgPool2d,

    /// <summary><c>nn.Flatten</c>: <c>[C, H, W]</c> (or <c>[C, L]</c>) as <c>C·H·W</c> features, values unchanged.</summary>
    Flatten,

    /// <summary><c>nn.Conv1d</c>; see <see cref="LayerInfo.Window"/> (its height is 1).</summary>
    Conv1d,

    /// <summary><c>nn.MaxPool1d</c>; see <see cref="LayerInfo.Window"/>.</summary>
    MaxPool1d,

    /// <summary><c>nn.AvgPool1d</c>; see <see cref="LayerInfo.Window"/>.</summary>
    AvgPool1d,

    /// <summary><c>nn.BatchNorm1d</c> over <see cref="LayerInfo.InFeatures"/> features or channels; exported as ONNX <c>BatchNormalization</c>.</summary>
    BatchNorm1d,

    /// <summary><c>nn.BatchNorm2d</c> over the channels of an image; exported as ONNX <c>BatchNormalization</c>.</summary>
    BatchNorm2d,
}
