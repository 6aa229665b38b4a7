using CompiledNets;

namespace FashionMnistCnn;

// A LeNet-5-like network with batch normalization and dropout, on 1 × 28 × 28 grey images; the shape after each
// layer is in the architecture table of the generated file (obj/.../FashionCnn.g.cs).
[Input(1, 28, 28)]
[Conv2d(1, 6, 5, padding: 2)]    // → [6, 28, 28]
[BatchNorm2d(6)]
[ReLU]
[MaxPool2d(2)]                   // → [6, 14, 14]
[Conv2d(6, 16, 5)]               // → [16, 10, 10]
[BatchNorm2d(16)]
[ReLU]
[MaxPool2d(2)]                   // → [16, 5, 5]
[Flatten]                        // → 400
[Linear(400, 120)]
[BatchNorm1d(120)]
[ReLU]
[Dropout(0.25f)]
[Linear(120, 84)]
[ReLU]
[Linear(84, 10)]
public partial class FashionCnn;
