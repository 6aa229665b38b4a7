using System;
using System.IO;

namespace CompiledNets;

/// <summary>
/// Saves and loads a network's parameters in the <see href="https://github.com/huggingface/safetensors">safetensors</see>
/// format, under PyTorch <c>nn.Sequential</c> state_dict names (<c>"0.weight"</c>, <c>"0.bias"</c>, <c>"2.weight"</c>, ...),
/// so <c>model.load_state_dict(safetensors.torch.load_file(path))</c> accepts a file saved here and a PyTorch
/// state_dict saved as safetensors loads here.
/// </summary>
/// <remarks>
/// <para>The file is</para>
/// <code>
/// u64 little-endian N | N bytes of UTF-8 JSON header | data
/// header: {"__metadata__":{"format":"pt"},"0.weight":{"dtype":"F32","shape":[20,10],"data_offsets":[0,800]}, ...}
/// </code>
/// <para>
/// <c>data_offsets</c> are <c>[begin, end)</c> byte ranges relative to the start of the data; the tensors cover it
/// exactly, with no gap and no overlap. Values are row-major and little-endian. As in the reference implementation,
/// the header is padded with spaces so the data starts at a multiple of 8.
/// </para>
/// <para>
/// <see cref="Save(INetwork, Stream)"/> writes the tensors in state_dict order (the reference implementation sorts
/// them by name; the format does not require either, and this order makes the data section the flat
/// <see cref="INetwork.Parameters"/> buffer byte for byte).
/// </para>
/// <para>
/// <see cref="Load(INetwork, Stream)"/> reads the whole file and checks it against the network before it writes a
/// single parameter: a file that does not fit leaves the network as it was and raises one
/// <see cref="InvalidDataException"/> listing every problem found (missing or extra names, wrong shapes or dtypes,
/// bad offsets, truncated or trailing data). Only <c>F32</c> is accepted: the networks compute in float32, and a
/// silent conversion from <c>F64</c> or <c>F16</c> would hide a mistake on the PyTorch side
/// (call <c>model.float()</c> before saving).
/// </para>
/// </remarks>
public static partial class Safetensors
{
    /// <summary>
    /// The largest header accepted, as in the reference implementation (100 MB): enough for hundreds of thousands
    /// of tensors, and a bound on what a corrupted size field can make the loader allocate.
    /// </summary>
    public const int MaxHeaderSize = 100_000_000;

    /// <summary>The only dtype this library reads and writes.</summary>
    internal const string Float32 = "F32";

    /// <summary>The header key the format reserves for string-to-string metadata.</summary>
    internal const string MetadataKey = "__metadata__";

    /// <summary>
    /// Writes the parameters of <paramref name="network"/> to the file <paramref name="path"/>, replacing any file there
    /// atomically: a crash leaves the previous file or the new one whole (see <c>AtomicFile</c>), and temporary files of
    /// earlier interrupted saves are removed.
    /// </summary>
    public static void Save(INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, nameof(path), file => Save(network, file));
    }

    /// <summary>
    /// Loads the parameters of <paramref name="network"/> from the file <paramref name="path"/>; on any mismatch
    /// nothing is loaded and the <see cref="InvalidDataException"/> names the file and lists every problem.
    /// </summary>
    public static void Load(INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Load(network, file, path);
    }

    /// <summary>
    /// Loads the parameters of <paramref name="network"/> from <paramref name="source"/>, read from its current
    /// position to its end; on any mismatch nothing is loaded and the <see cref="InvalidDataException"/> lists every problem.
    /// </summary>
    public static void Load(INetwork network, Stream source)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(source);
        Load(network, source, source is FileStream file ? file.Name : $"a {source.GetType().Name}");
    }

    /// <summary>Bytes per element of every dtype the format defines, so entries of other dtypes can be checked and reported.</summary>
    internal static int? ElementSize(string dtype) => dtype switch
    {
        "BOOL" or "U8" or "I8" or "F8_E5M2" or "F8_E4M3" => 1,
        "I16" or "U16" or "F16" or "BF16" => 2,
        "I32" or "U32" or "F32" => 4,
        "I64" or "U64" or "F64" => 8,
        _ => null,
    };

    /// <summary>A shape as PyTorch prints it, <c>[20, 10]</c>.</summary>
    internal static string FormatShape(System.Collections.Generic.IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
