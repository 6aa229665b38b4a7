using CompiledNets;

namespace BreastCancer;

/// <summary>Thirty cell-nucleus measurements in, one logit out (malignant when positive): 30 → 16 → 1.</summary>
[Linear(30, 16)]
[ReLU]
[Linear(16, 1)]
public partial class BreastCancerNet;
