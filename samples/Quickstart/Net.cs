using CompiledNets;

namespace Quickstart;

// The network of PyTorch's classic example: 10 features → 20 hidden units → 2 classes.
// Build, then open Net.g.cs under the project's analyzers (or obj/generated) to read the code it runs.
[Linear(10, 20)]
[ReLU]
[Linear(20, 2)]
public partial class Net;
