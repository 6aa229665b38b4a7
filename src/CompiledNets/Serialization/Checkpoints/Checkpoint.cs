using System;
using System.Collections.Generic;
using System.IO;

namespace CompiledNets;

/// <summary>
/// Saves and restores everything a training run needs to continue exactly where it stopped: the parameters, the
/// optimizer's state, the epoch and step counters and the data loader's shuffle state, like a PyTorch
/// <c>torch.save({"model": ..., "optimizer": ..., "epoch": ..., "rng": ...})</c> checkpoint. A run resumed from a
/// checkpoint written between epochs takes bit for bit the steps of a run that never stopped.
/// </summary>
/// <remarks>
/// <para>The file, every number little-endian:</para>
/// <code>
/// header    8 bytes  magic "CNETCKPT"
///           u32      format version (3; version 2, without the sections, is still read)
///           u64      file length in bytes, this header and the checksum included
/// network   string   the network's type name (for messages; a renamed class with the same layout still loads)
///           u32      tensor count, then per tensor: string name, u32 offset, u32 rank, rank × u32 dimensions
///           u32 P    then P × f32: the flat parameter buffer
/// optimizer state    the optimizer's <see cref="StateDict"/>: u32 entry count, then per entry a string name, a
///                    u8 type (1 f32 tensor: u32 count then floats; 2 f64; 3 i64; 4 u8 flag; 5 string) and the value
/// sections u32      count, then per section a string name ("scheduler", "plateau", "trainer") and that
///                    component's state dict: the learning-rate schedules and the trainer's early-stopping state
/// loader    u32      samples, u32 features, u32 batch size, u8 shuffle, u8 drop_last
///           u64      the shuffle generator's state
///           u32 N    then N × i32: the current sample order (each epoch shuffles it in place)
/// counters  i32      epochs completed,  i64 optimizer steps taken
/// checksum  32 bytes SHA-256 of every byte before it
/// </code>
/// <para>(A string is a u32 byte count and that many bytes of UTF-8.)</para>
/// <para>
/// <see cref="Save"/> serializes in memory, writes a temporary file next to the target, flushes it to disk and
/// renames it over the target, so a crash leaves either the previous checkpoint or the new one, never a mix; the
/// temporary files of earlier saves that were killed are removed by the next successful one. (The rename itself is
/// made durable by the file system's journal; .NET offers no way to flush the directory.)
/// </para>
/// <para>
/// <see cref="Load"/> reads and checks the whole file (magic, version, length, checksum, structure) and compares it
/// with the network's parameter layout, the optimizer (through <see cref="IStateful.CheckStateDict"/>) and the loader's
/// shape before it changes anything: a file that does not fit raises one <see cref="InvalidDataException"/> naming the
/// file and listing every problem, and the network, optimizer and loader stay as they were.
/// </para>
/// <para>
/// Any <see cref="IOptimizer"/> can be saved: its state dict is. The optimizers of this library refuse a state saved with
/// other constructor hyperparameters (a checkpoint continues a run, and a different learning rate is more likely a
/// mistake than a plan) and restore the current learning rate, which a schedule may have changed. To start a new run
/// from trained weights, use <see cref="Safetensors"/>.
/// The loader's samples themselves are not saved (only their count and shape); resuming expects the same data.
/// </para>
/// </remarks>
public static partial class Checkpoint
{
    /// <summary>The 8 bytes every checkpoint starts with.</summary>
    internal static ReadOnlySpan<byte> Magic => "CNETCKPT"u8;

    /// <summary>The format version this library writes; it also reads <see cref="OldestFormatVersion"/> and later.</summary>
    public const int FormatVersion = 3;

    /// <summary>The oldest format version this library reads (version 2 has no sections).</summary>
    public const int OldestFormatVersion = 2;

    /// <summary>The section of a learning-rate schedule stepped by count (<see cref="LRScheduler"/>).</summary>
    internal const string SchedulerSection = "scheduler";

    /// <summary>The section of a <see cref="ReduceLROnPlateau"/>.</summary>
    internal const string PlateauSection = "plateau";

    /// <summary>The section of the trainer's own state (early stopping); the public <see cref="Load"/> skips it.</summary>
    internal const string TrainerSection = "trainer";

    /// <summary>The section of the network's dropout generator, for networks with dropout layers.</summary>
    internal const string DropoutSection = "dropout";

    /// <summary>The section of the network's buffers (running statistics), for networks with batch normalization.</summary>
    internal const string BuffersSection = "buffers";

    /// <summary>The sections asked for, plus the network's dropout generator and buffers when it has them.</summary>
    private static IReadOnlyList<(string Name, IStateful State)> WithNetwork(INetwork network, IReadOnlyList<(string Name, IStateful State)> sections)
    {
        var all = new List<(string Name, IStateful State)>(sections);
        if (DropoutStateSection.Applies(network)) all.Add((DropoutSection, new DropoutStateSection(network)));
        if (BufferStateSection.Applies(network)) all.Add((BuffersSection, new BufferStateSection(network)));
        return all;
    }

    /// <summary>Magic, version and length.</summary>
    internal const int HeaderSize = 8 + 4 + 8;

    /// <summary>The SHA-256 at the end.</summary>
    internal const int ChecksumSize = 32;

    /// <summary>
    /// Writes a checkpoint of <paramref name="network"/>, <paramref name="optimizer"/> and <paramref name="loader"/>
    /// to <paramref name="path"/>, atomically replacing any file there. Call it between epochs: the loader's state
    /// is the one its next epoch starts from.
    /// </summary>
    /// <param name="path">The checkpoint file; its directory must exist.</param>
    /// <param name="network">The network whose parameters are saved.</param>
    /// <param name="optimizer">The optimizer of <paramref name="network"/>, whose state dict is saved.</param>
    /// <param name="loader">The training loader, whose shuffle state is saved.</param>
    /// <param name="epoch">Epochs completed, ≥ 0.</param>
    /// <param name="step">Optimizer steps taken, ≥ 0.</param>
    /// <param name="scheduler">A learning-rate schedule (<see cref="LRScheduler"/> or <see cref="ReduceLROnPlateau"/>) whose state is saved too.</param>
    /// <param name="plateau">A <see cref="ReduceLROnPlateau"/> used beside <paramref name="scheduler"/>, as <see cref="Trainer.Plateau"/> is.</param>
    public static void Save(
        string path, INetwork network, IOptimizer optimizer, DataLoader loader, int epoch, long step, IStateful? scheduler = null, ReduceLROnPlateau? plateau = null) =>
        SaveSections(path, network, optimizer, loader, epoch, step, Sections(scheduler, plateau));

    /// <summary><see cref="Save(string, INetwork, IOptimizer, DataLoader, int, long, IStateful?, ReduceLROnPlateau?)"/> with named sections.</summary>
    internal static void SaveSections(string path, INetwork network, IOptimizer optimizer, DataLoader loader, int epoch, long step, IReadOnlyList<(string Name, IStateful State)> sections)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckArguments(network, optimizer, loader);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(step);

        // Serialize completely first: if anything fails here, no file has been touched.
        byte[] contents = Serialize(network, optimizer, loader, epoch, step, WithNetwork(network, sections));
        AtomicFile.Write(path, nameof(path), file => file.Write(contents));
    }

    private static List<(string, IStateful)> Sections(IStateful? scheduler, ReduceLROnPlateau? plateau)
    {
        if (scheduler is ReduceLROnPlateau && plateau is not null)
        {
            throw new ArgumentException("Expected one ReduceLROnPlateau at most, but both scheduler and plateau are one.", nameof(plateau));
        }
        var sections = new List<(string, IStateful)>();
        if (scheduler is not null) sections.Add((scheduler is ReduceLROnPlateau ? PlateauSection : SchedulerSection, scheduler));
        if (plateau is not null) sections.Add((PlateauSection, plateau));
        return sections;
    }

    /// <summary>
    /// Restores <paramref name="network"/>, <paramref name="optimizer"/> and <paramref name="loader"/> from the
    /// checkpoint at <paramref name="path"/> and returns its counters. On any problem nothing is restored and the
    /// <see cref="InvalidDataException"/> names the file and lists every problem.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="network">The network whose parameters are restored.</param>
    /// <param name="optimizer">The optimizer whose state is restored.</param>
    /// <param name="loader">The training loader whose shuffle state is restored.</param>
    /// <param name="scheduler">
    /// The schedule whose state is restored: required when the checkpoint holds one, refused when it holds none (a
    /// schedule resumed from its start would set other learning rates than the run that saved it).
    /// </param>
    /// <param name="plateau">The <see cref="ReduceLROnPlateau"/> saved beside <paramref name="scheduler"/>, under the same rule.</param>
    /// <returns>The epochs completed and optimizer steps taken when the checkpoint was saved.</returns>
    public static (int Epoch, long Step) Load(
        string path, INetwork network, IOptimizer optimizer, DataLoader loader, IStateful? scheduler = null, ReduceLROnPlateau? plateau = null) =>
        LoadSections(path, network, optimizer, loader, Sections(scheduler, plateau), ignoreUnrequested: true);

    /// <summary>
    /// <see cref="Load(string, INetwork, IOptimizer, DataLoader, IStateful?, ReduceLROnPlateau?)"/> into named sections; the trainer's own
    /// section is skipped when not asked for unless <paramref name="ignoreUnrequested"/> is false.
    /// </summary>
    internal static (int Epoch, long Step) LoadSections(
        string path, INetwork network, IOptimizer optimizer, DataLoader loader, IReadOnlyList<(string Name, IStateful State)> sections, bool ignoreUnrequested)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckArguments(network, optimizer, loader);
        byte[] bytes = ReadChecked(path);
        return Restore(bytes, path, network, optimizer, loader, WithNetwork(network, sections), ignoreUnrequested);
    }

    /// <summary>The network, optimizer and loader must belong together before anything is saved or loaded.</summary>
    private static void CheckArguments(INetwork network, IOptimizer optimizer, DataLoader loader)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loader);
        OptimizerChecks.ThrowIfNotOf(optimizer, network, nameof(optimizer));
        if (loader.Features != network.InputSize)
        {
            throw new ArgumentException(
                $"Expected a loader of {network.InputSize} features (the network's InputSize) but the loader has {loader.Features}.", nameof(loader));
        }
    }
}
