using CompiledNets;

namespace Playground;

// The networks the playground offers, compiled by the generator like any user's: the page shows the code generated here.

/// <summary>PyTorch's classic example on a synthetic two-class task: 10 features → 20 hidden units → 2 classes.</summary>
[Linear(10, 20)]
[ReLU]
[Linear(20, 2)]
public partial class SeedNet;

/// <summary>An MLP for the embedded 8 × 8 digits: 64 standardized pixels → 32 hidden units → 10 classes.</summary>
[Linear(64, 32)]
[ReLU]
[Linear(32, 10)]
public partial class DigitsMlp;

/// <summary>A small CNN for the embedded digits: 8 filters of 3 × 3 over the 8 × 8 image, max pooling, then 10 classes.</summary>
[Input(1, 8, 8)]
[Conv2d(1, 8, 3, padding: 1)]
[ReLU]
[MaxPool2d(2)]
[Flatten]
[Linear(128, 10)]
public partial class DigitsCnn;
