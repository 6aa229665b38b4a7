using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;

namespace CompiledNets;

/// <summary>
/// One tensor of a network's state_dict: a parameter (F32, in <see cref="INetwork.Parameters"/>) or a buffer (F32 in
/// <see cref="INetwork.Buffers"/>, I64 in <see cref="INetwork.IntegerBuffers"/>).
/// </summary>
internal readonly record struct StateTensor(string Name, string Dtype, IReadOnlyList<int> Shape, int Offset, int Length, bool IsBuffer)
{
    public const string Float32 = "F32";
    public const string Int64 = "I64";

    public int ElementSize => Dtype == Int64 ? sizeof(long) : sizeof(float);

    /// <summary>The tensor's elements as bytes in the network's memory (taking <see cref="INetwork.Parameters"/> counts as a change).</summary>
    public Span<byte> Bytes(INetwork network) => (IsBuffer, Dtype) switch
    {
        (false, _) => MemoryMarshal.AsBytes(network.Parameters.Slice(Offset, Length)),
        (true, Float32) => MemoryMarshal.AsBytes(network.Buffers.Slice(Offset, Length)),
        _ => MemoryMarshal.AsBytes(network.IntegerBuffers.Slice(Offset, Length)),
    };
}

/// <summary>A network's state_dict in PyTorch's order: module by module, each module's parameters, then its buffers.</summary>
internal static class StateTensors
{
    public static List<StateTensor> Of(INetwork network)
    {
        var tensors = new List<(int Module, int Kind, int Order, StateTensor Tensor)>();
        int order = 0;
        foreach (ParameterTensor parameter in network.NamedParameters)
        {
            tensors.Add((ModuleOf(parameter.Name), 0, order++, new StateTensor(parameter.Name, StateTensor.Float32, parameter.Shape, parameter.Offset, parameter.Length, false)));
        }
        foreach (BufferTensor buffer in network.NamedBuffers)
        {
            string dtype = buffer.Dtype == BufferDtype.Int64 ? StateTensor.Int64 : StateTensor.Float32;
            tensors.Add((ModuleOf(buffer.Name), 1, order++, new StateTensor(buffer.Name, dtype, buffer.Shape, buffer.Offset, buffer.Length, true)));
        }
        return tensors.OrderBy(t => t.Module).ThenBy(t => t.Kind).ThenBy(t => t.Order).Select(t => t.Tensor).ToList();
    }

    /// <summary>The nn.Sequential index a state_dict key starts with (<c>"3.running_var"</c>: 3); names without one sort last.</summary>
    private static int ModuleOf(string name)
    {
        int dot = name.IndexOf('.');
        return dot > 0 && int.TryParse(name.AsSpan(0, dot), out int module) ? module : int.MaxValue;
    }
}
