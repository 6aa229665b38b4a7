using CompiledNets;

namespace FashionMnist;

// 28x28 grey images (784 pixels scaled to 0..1) → 256 → 128 → 10 clothing classes.
[Linear(784, 256)]
[ReLU]
[Linear(256, 128)]
[ReLU]
[Linear(128, 10)]
public partial class FashionNet;
