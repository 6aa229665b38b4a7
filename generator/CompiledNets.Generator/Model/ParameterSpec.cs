namespace CompiledNets.Generator.Model;

/// <summary>
/// One parameter tensor of the flat buffer, as PyTorch's state_dict names it, and how it is initialized. Must stay equatable.
/// </summary>
/// <param name="Name">The state_dict key, e.g. <c>"0.weight"</c>.</param>
/// <param name="Constant">The C# constant that holds its offset, e.g. <c>Weight0</c>.</param>
/// <param name="Offset">Where it starts in the flat buffers.</param>
/// <param name="Shape">Its dimensions, outermost first.</param>
/// <param name="FanIn">PyTorch's fan_in: the tensor is initialized uniformly in ±1/√FanIn (unless <paramref name="Fill"/>).</param>
/// <param name="Layer">The index of the layer it belongs to.</param>
/// <param name="Fill">A constant it starts at instead (a batch normalization's weight 1 and bias 0), as a C# literal; null for uniform.</param>
internal sealed record ParameterSpec(string Name, string Constant, int Offset, EquatableArray<int> Shape, int FanIn, int Layer, string? Fill = null)
{
    public int Count
    {
        get
        {
            int count = 1;
            foreach (int dimension in Shape)
            {
                count *= dimension;
            }
            return count;
        }
    }
}
