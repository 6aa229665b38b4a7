using System;
using System.Collections.Generic;
using System.Buffers.Binary;
using System.IO;
using System.Security.Cryptography;

namespace CompiledNets;

public static partial class Checkpoint
{
    /// <summary>The whole file in memory: header, the four sections, and the checksum over all of it.</summary>
    private static byte[] Serialize(INetwork network, IOptimizer optimizer, DataLoader loader, int epoch, long step, IReadOnlyList<(string Name, IStateful State)> sections)
    {
        var body = new CheckpointWriter();

        // Network: the layout, so a load can refuse parameters of another shape, then the flat buffer.
        body.WriteString(network.GetType().Name);
        body.WriteCount(network.NamedParameters.Count);
        foreach (ParameterTensor tensor in network.NamedParameters)
        {
            body.WriteString(tensor.Name);
            body.WriteCount(tensor.Offset);
            body.WriteCount(tensor.Shape.Count);
            foreach (int dimension in tensor.Shape) body.WriteCount(dimension);
        }
        body.WriteSingles(network.Parameters);

        // Optimizer: its state dict (hyperparameters, buffers, counters), whatever the optimizer.
        body.WriteStateDict(optimizer.StateDict());

        // Sections: the schedules' and the trainer's state dicts, each under its name.
        body.WriteCount(sections.Count);
        foreach (var (name, state) in sections)
        {
            body.WriteString(name);
            body.WriteStateDict(state.StateDict());
        }

        // Loader: its shape, then the generator and the order the next epoch shuffles.
        body.WriteCount(loader.SampleCount);
        body.WriteCount(loader.Features);
        body.WriteCount(loader.BatchSize);
        body.WriteBoolean(loader.Shuffle);
        body.WriteBoolean(loader.DropLast);
        body.WriteUInt64(loader.ShuffleRngState);
        body.WriteInt32s(loader.Order);

        body.WriteInt32(epoch);
        body.WriteInt64(step);

        ReadOnlySpan<byte> written = body.Written;
        var file = new byte[HeaderSize + written.Length + ChecksumSize];
        Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), (ulong)file.Length);
        written.CopyTo(file.AsSpan(HeaderSize));
        SHA256.HashData(file.AsSpan(0, file.Length - ChecksumSize), file.AsSpan(file.Length - ChecksumSize));
        return file;
    }
}
