using System;
using System.Collections.Generic;
using System.IO;

namespace CompiledNets;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST (LeCun et al.,
/// http://yann.lecun.com/exdb/mnist/): a big-endian magic number <c>00 00 08 D</c> (type 0x08 =
/// unsigned byte, D dimensions), D big-endian 32-bit sizes, then the bytes in row-major order.
/// Images are <c>0x00000803</c> (count, rows, columns), labels <c>0x00000801</c> (count).
/// </summary>
/// <remarks>
/// Errors name the file and the byte offset, counted in the decompressed data for a gzip file. A
/// file must end exactly where its sizes say; extra bytes are an error rather than silently ignored.
/// </remarks>
internal static class IdxReader
{
    private const byte UnsignedByte = 0x08;

    public static Dataset Read(string imagesPath, string labelsPath, int? classCount, IReadOnlyList<string>? classNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        ArgumentException.ThrowIfNullOrEmpty(labelsPath);
        if (classCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"Expected classCount >= 1 (or null to use the largest label + 1) but got {classCount}.");
        }
        // Both files must exist before the large one is read.
        DataFile.CheckExists(imagesPath, nameof(imagesPath));
        DataFile.CheckExists(labelsPath, nameof(labelsPath));

        var (pixels, imageSizes, _) = ReadFile(imagesPath, nameof(imagesPath), dimensions: 3);
        var (labelBytes, labelSizes, labelsGzip) = ReadFile(labelsPath, nameof(labelsPath), dimensions: 1);
        int count = imageSizes[0], featureCount = imageSizes[1] * imageSizes[2];
        if (labelSizes[0] != count)
        {
            throw new InvalidDataException(
                $"{Location(labelsPath, 4, labelsGzip)}: expected {count} labels (one per image in '{imagesPath}') but the label count is {labelSizes[0]}.");
        }

        var labels = new int[count];
        int maxLabel = 0;
        for (int i = 0; i < count; i++)
        {
            labels[i] = labelBytes[i];
            if (labels[i] >= classCount)
            {
                throw new InvalidDataException(
                    $"{Location(labelsPath, HeaderSize(1) + i, labelsGzip)}: expected a label in [0, {classCount}) (classCount = {classCount}) but found {labels[i]}.");
            }
            maxLabel = Math.Max(maxLabel, labels[i]);
        }
        var features = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) features[i] = pixels[i];
        return new Dataset(features, labels, featureCount, classCount ?? maxLabel + 1, classNames);
    }

    private static int HeaderSize(int dimensions) => 4 + 4 * dimensions;

    /// <summary>How messages locate a byte: offsets in a gzip file count the decompressed bytes.</summary>
    private static string Location(string path, long offset, bool isGzip) => $"'{path}', byte offset {offset}{(isGzip ? " (decompressed)" : "")}";

    /// <summary>Checks the header of one IDX file of unsigned bytes and reads its data.</summary>
    private static (byte[] Data, int[] Sizes, bool IsGzip) ReadFile(string path, string parameterName, int dimensions)
    {
        using Stream stream = DataFile.Open(path, parameterName, out bool isGzip);
        var reader = new Reader(stream, path, isGzip);
        string expectedMagic = $"0x{0x800 | dimensions:X8}";

        Span<byte> magic = stackalloc byte[4];
        reader.ReadExactly(magic, $"the magic number {expectedMagic}");
        if (magic[0] != 0 || magic[1] != 0 || magic[2] != UnsignedByte)
        {
            throw reader.Error(0, $"expected the magic number {expectedMagic} (unsigned bytes, {dimensions} dimension{(dimensions == 1 ? "" : "s")}) but found 0x{magic[0]:X2}{magic[1]:X2}{magic[2]:X2}{magic[3]:X2}");
        }
        if (magic[3] != dimensions)
        {
            throw reader.Error(3, $"expected {dimensions} dimension{(dimensions == 1 ? "" : "s")} (magic number {expectedMagic}) but the header declares {magic[3]}");
        }

        var sizes = new int[dimensions];
        Span<byte> size = stackalloc byte[4];
        long total = 1;
        for (int d = 0; d < dimensions; d++)
        {
            long offset = reader.Offset;
            reader.ReadExactly(size, $"the size of dimension {d + 1}");
            uint value = (uint)(size[0] << 24 | size[1] << 16 | size[2] << 8 | size[3]);
            if (value == 0 || value > int.MaxValue)
            {
                throw reader.Error(offset, $"expected the size of dimension {d + 1} in [1, {int.MaxValue}] but found {value}");
            }
            sizes[d] = (int)value;
            total *= value;
            if (total > Array.MaxLength)
            {
                throw reader.Error(offset, $"expected at most {Array.MaxLength} bytes of data in total but the sizes so far multiply to {total}");
            }
        }

        byte[] data = reader.ReadGrowing(total, $"the data ({string.Join(" × ", sizes)})");
        Span<byte> extra = stackalloc byte[1];
        if (reader.Read(extra) != 0)
        {
            throw reader.Error(reader.Offset - 1, $"expected the file to end after {total} bytes of data but found more");
        }
        return (data, sizes, isGzip);
    }

    /// <summary>Reads a stream while counting the offset, turning gzip and truncation errors into located messages.</summary>
    private sealed class Reader(Stream stream, string path, bool isGzip)
    {
        public long Offset { get; private set; }

        public int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                read = stream.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw Error(Offset, e.Message, e);
            }
            Offset += read;
            return read;
        }

        public void ReadExactly(Span<byte> buffer, string what)
        {
            long start = Offset;
            for (int filled = 0; filled < buffer.Length;)
            {
                int read = Read(buffer[filled..]);
                if (read == 0)
                {
                    throw Error(start, $"expected {buffer.Length} bytes for {what} but the file ends at byte offset {Offset}");
                }
                filled += read;
            }
        }

        /// <summary>
        /// Reads <paramref name="count"/> bytes into a buffer that doubles as the data arrives, so a header claiming
        /// far more than the file holds fails at the file's end having allocated about twice what it read.
        /// </summary>
        public byte[] ReadGrowing(long count, string what)
        {
            long start = Offset;
            var data = new byte[Math.Min(count, 1 << 20)];
            int filled = 0;
            while (filled < count)
            {
                if (filled == data.Length)
                {
                    Array.Resize(ref data, (int)Math.Min(count, 2L * data.Length));
                }
                int read = Read(data.AsSpan(filled));
                if (read == 0)
                {
                    throw Error(start, $"expected {count} bytes for {what} but the file ends at byte offset {Offset}");
                }
                filled += read;
            }
            return data;
        }

        public InvalidDataException Error(long offset, string message, Exception? inner = null) =>
            new($"{Location(path, offset, isGzip)}: {message}.", inner);
    }
}
