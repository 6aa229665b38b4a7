namespace CompiledNets.Generator.Model;

/// <summary>The layer types a network can declare, named as in PyTorch.</summary>
internal enum LayerKind
{
    Linear,
    ReLU,
    LeakyReLU,
    Sigmoid,
    Tanh,
}
