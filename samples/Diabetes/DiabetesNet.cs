using CompiledNets;

namespace Diabetes;

/// <summary>Ten baseline measurements in, disease progression out: 10 → 32 → 16 → 1.</summary>
[Linear(10, 32)]
[ReLU]
[Linear(32, 16)]
[ReLU]
[Linear(16, 1)]
public partial class DiabetesNet;
