using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;

namespace CompiledNets;

public static partial class Checkpoint
{
    /// <summary>Checks everything, then (only if nothing is wrong) restores the network, optimizer and loader.</summary>
    private static (int Epoch, long Step) Restore(
        byte[] bytes, string fileName, INetwork network, IOptimizer optimizer, DataLoader loader, IReadOnlyList<(string Name, IStateful State)> sections,
        bool ignoreUnrequested)
    {
        var problems = new List<string>();

        // 1. The file itself: its checksum (ReadChecked has checked the header and length). Until it holds, the contents mean nothing.
        CheckpointContents? contents = CheckChecksum(bytes, problems) ? Parse(bytes, problems) : null;
        if (contents is null)
        {
            throw Failure(fileName, problems);
        }

        // 2. The contents against what they are to be loaded into; every mismatch is reported.
        CheckFits(contents, network, optimizer, loader, problems);
        CheckSections(contents, sections, ignoreUnrequested, problems);
        if (problems.Count > 0)
        {
            throw Failure(fileName, problems);
        }

        // 3. Nothing is wrong: the restores below were checked to fit and cannot fail half-way.
        contents.Parameters.CopyTo(network.Parameters);
        optimizer.LoadStateDict(contents.Optimizer);
        foreach (var (name, state) in sections)
        {
            if (contents.Sections.TryGetValue(name, out StateDict? saved)) state.LoadStateDict(saved);
        }
        loader.RestoreShuffleState(contents.ShuffleRngState, contents.Order);
        return (contents.Epoch, contents.Step);
    }

    /// <summary>
    /// The whole file, read only after its header fits it: a file that is not a checkpoint, or claims another length,
    /// is refused having read its first 20 bytes, however large it is.
    /// </summary>
    private static byte[] ReadChecked(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = file.Length;
        var header = new byte[(int)Math.Min(length, HeaderSize)];
        file.ReadExactly(header);
        var problems = new List<string>();
        if (!CheckHeader(header, length, problems))
        {
            throw Failure(path, problems);
        }
        var bytes = new byte[length];
        header.CopyTo(bytes, 0);
        file.ReadExactly(bytes.AsSpan(header.Length));
        return bytes;
    }

    /// <summary>The SHA-256 of a file whose header passed <see cref="CheckHeader"/>; false (with the reason added) when it fails.</summary>
    private static bool CheckChecksum(byte[] bytes, List<string> problems)
    {
        Span<byte> checksum = stackalloc byte[ChecksumSize];
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - ChecksumSize), checksum);
        if (!checksum.SequenceEqual(bytes.AsSpan(bytes.Length - ChecksumSize)))
        {
            problems.Add("its SHA-256 checksum does not match its contents: the file is corrupted");
            return false;
        }
        return true;
    }

    /// <summary>Magic, version and length from the first bytes of a file of <paramref name="fileLength"/> bytes.</summary>
    private static bool CheckHeader(ReadOnlySpan<byte> header, long fileLength, List<string> problems)
    {
        // Check the magic on what there is, so a short foreign file is called foreign rather than truncated.
        int magicBytes = Math.Min(header.Length, Magic.Length);
        if (!header[..magicBytes].SequenceEqual(Magic[..magicBytes]))
        {
            problems.Add($"it does not start with the checkpoint magic \"CNETCKPT\" (found {Convert.ToHexString(header[..magicBytes])}): not a CompiledNets checkpoint, or a corrupted one");
            return false;
        }
        if (fileLength < HeaderSize + ChecksumSize)
        {
            problems.Add($"the file is truncated: it holds {fileLength} bytes, fewer than the {HeaderSize + ChecksumSize} of the header and checksum alone");
            return false;
        }
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version is < OldestFormatVersion or > FormatVersion)
        {
            problems.Add($"it has format version {version} but this library reads versions {OldestFormatVersion} to {FormatVersion}");
            return false;
        }
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header[12..]);
        if (length != (ulong)fileLength)
        {
            problems.Add(length > (ulong)fileLength
                ? $"the file is truncated: its header says {length} bytes but it holds {fileLength}"
                : $"its header says {length} bytes but it holds {fileLength}: the file is corrupted or has data appended");
            return false;
        }
        if (fileLength > Array.MaxLength)
        {
            problems.Add($"it claims {fileLength} bytes, more than a checkpoint of this library can hold");
            return false;
        }
        return true;
    }

    /// <summary>The body, checked for internal consistency; null (with the reason added) when it does not follow the format.</summary>
    private static CheckpointContents? Parse(byte[] bytes, List<string> problems)
    {
        var reader = new CheckpointReader(bytes.AsSpan(HeaderSize, bytes.Length - HeaderSize - ChecksumSize), HeaderSize);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        try
        {
            string networkType = reader.ReadString("the network type name");
            int tensorCount = reader.ReadCount("the tensor count");
            var layout = new List<ParameterTensor>();
            for (int t = 0; t < tensorCount; t++)
            {
                string name = reader.ReadString($"the name of tensor {t}");
                int offset = reader.ReadCount($"the offset of '{name}'");
                int rank = reader.ReadCount($"the rank of '{name}'");
                if (rank > reader.Remaining / sizeof(uint))
                {
                    throw new CheckpointFormatException($"'{name}' claims rank {rank}, more dimensions than bytes remain for");
                }
                var shape = new int[rank];
                for (int d = 0; d < rank; d++) shape[d] = reader.ReadCount($"dimension {d} of '{name}'");
                if (shape.Any(dimension => dimension == 0))
                {
                    throw new CheckpointFormatException($"'{name}' has shape [{string.Join(", ", shape)}] with a zero dimension");
                }
                try
                {
                    layout.Add(new ParameterTensor(name, offset, shape));
                }
                catch (OverflowException)
                {
                    throw new CheckpointFormatException($"'{name}' has shape [{string.Join(", ", shape)}], more than 2^31 floats");
                }
            }
            float[] parameters = reader.ReadSingles("the parameters");
            if (layout.Any(tensor => (long)tensor.Offset + tensor.Length > parameters.Length))
            {
                throw new CheckpointFormatException($"the layout places tensors beyond the {parameters.Length} parameters saved");
            }

            StateDict optimizer = reader.ReadStateDict("the optimizer state");
            var sections = new Dictionary<string, StateDict>();
            int sectionCount = version >= 3 ? reader.ReadCount("the section count") : 0;
            for (int i = 0; i < sectionCount; i++)
            {
                string name = reader.ReadString($"the name of section {i}");
                if (!sections.TryAdd(name, reader.ReadStateDict($"section '{name}'")))
                {
                    throw new CheckpointFormatException($"the section '{name}' appears twice");
                }
            }

            var savedLoader = new LoaderShape(
                reader.ReadCount("the sample count"),
                reader.ReadCount("the feature count"),
                reader.ReadCount("the batch size"),
                reader.ReadBoolean("the shuffle flag"),
                reader.ReadBoolean("the drop_last flag"));
            ulong rngState = reader.ReadUInt64("the shuffle generator state");
            int[] order = reader.ReadInt32s("the sample order");
            CheckPermutation(order, savedLoader.SampleCount);

            int epoch = reader.ReadInt32("the epoch");
            long step = reader.ReadInt64("the step");
            if (epoch < 0 || step < 0)
            {
                throw new CheckpointFormatException($"the counters are epoch {epoch}, step {step}; neither may be negative");
            }
            if (reader.Remaining != 0)
            {
                throw new CheckpointFormatException($"{reader.Remaining} bytes follow the counters, before the checksum");
            }

            return new CheckpointContents
            {
                NetworkType = networkType,
                Layout = layout,
                Parameters = parameters,
                Optimizer = optimizer,
                Sections = sections,
                Loader = savedLoader,
                ShuffleRngState = rngState,
                Order = order,
                Epoch = epoch,
                Step = step,
            };
        }
        catch (CheckpointFormatException exception)
        {
            // The checksum matched, so this is not damage in storage: the writer was not this library's.
            problems.Add($"it is malformed: {exception.Message}");
            return null;
        }
    }

    /// <summary>The saved order must be a permutation of the sample indices, or the loader would read out of range.</summary>
    private static void CheckPermutation(int[] order, int sampleCount)
    {
        if (order.Length != sampleCount)
        {
            throw new CheckpointFormatException($"the sample order has {order.Length} entries for {sampleCount} samples");
        }
        var seen = new bool[order.Length];
        foreach (int sample in order)
        {
            if ((uint)sample >= (uint)order.Length || seen[sample])
            {
                throw new CheckpointFormatException($"the sample order is not a permutation of 0..{order.Length - 1} ({sample} is out of range or repeated)");
            }
            seen[sample] = true;
        }
    }

    /// <summary>Adds a problem for every way the contents do not fit the network, optimizer and loader.</summary>
    private static void CheckFits(CheckpointContents contents, INetwork network, IOptimizer optimizer, DataLoader loader, List<string> problems)
    {
        string networkType = network.GetType().Name;
        bool sameLayout = contents.Parameters.Length == network.ParameterCount && CheckpointContents.SameLayout(contents.Layout, network.NamedParameters);
        if (!sameLayout)
        {
            problems.Add(
                $"its parameters are laid out for {contents.NetworkType} ({CheckpointContents.Describe(contents.Layout, contents.Parameters.Length)}) " +
                $"but {networkType} has ({CheckpointContents.Describe(network.NamedParameters, network.ParameterCount)})");
        }

        // The optimizer judges its own state (kind, hyperparameters, buffer sizes); a buffer of another layout's
        // size was already reported above as a layout mismatch.
        if (sameLayout)
        {
            problems.AddRange(optimizer.CheckStateDict(contents.Optimizer));
        }

        var loaderShape = LoaderShape.Of(loader);
        if (contents.Loader != loaderShape)
        {
            problems.Add($"it was saved from a loader of {contents.Loader} but the loader has {loaderShape}");
        }
    }

    /// <summary>
    /// Each requested section must be in the file (but the trainer's, which a checkpoint saved outside a trainer lacks) and
    /// accept its state; each section in the file must be requested (but the trainer's, when allowed).
    /// </summary>
    private static void CheckSections(
        CheckpointContents contents, IReadOnlyList<(string Name, IStateful State)> sections, bool ignoreUnrequested, List<string> problems)
    {
        foreach (var (name, state) in sections)
        {
            if (!contents.Sections.TryGetValue(name, out StateDict? saved))
            {
                // A checkpoint saved outside a trainer has no trainer state: early stopping then starts afresh.
                // A checkpoint of the network before it had dropout has no generator state: the current one goes on.
                if (name is TrainerSection or DropoutSection) continue;
                if (name is BuffersSection)
                {
                    problems.Add("it holds no buffers (running statistics), but the network has batch normalization: it was saved from another network");
                    continue;
                }
                problems.Add($"it holds no {name} state, but a {state.GetType().Name} was given to restore (the run that saved it had none)");
                continue;
            }
            problems.AddRange(state.CheckStateDict(saved).Select(problem => $"{name}: {problem}"));
        }
        foreach (string name in contents.Sections.Keys)
        {
            bool requested = sections.Any(section => section.Name == name);
            if (!requested && !(ignoreUnrequested && name == TrainerSection))
            {
                problems.Add($"it holds {name} state ({StateDict.Describe(contents.Sections[name]["kind"])}) but none was given to restore it into; pass the {name}");
            }
        }
    }

    private static InvalidDataException Failure(string fileName, List<string> problems)
    {
        string count = problems.Count == 1 ? "1 problem" : $"{problems.Count} problems";
        return new InvalidDataException(
            $"Cannot load the checkpoint {fileName} ({count}; nothing was loaded):"
            + string.Concat(problems.Select(problem => Environment.NewLine + "  - " + problem)));
    }
}
