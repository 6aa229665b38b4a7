using CompiledNets;

namespace Digits;

// 8x8 digit images (64 pixels, standardized) → 64 hidden units → 10 classes.
[Linear(64, 64)]
[ReLU]
[Linear(64, 10)]
public partial class DigitsNet;
