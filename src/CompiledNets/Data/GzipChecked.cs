using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace CompiledNets;

/// <summary>
/// Decompresses a gzip file and, at its end, checks the decompressed bytes against the file's trailer (RFC 1952: the
/// CRC-32 and the length modulo 2³², in the last 8 bytes), so a truncated or damaged file is an error instead of
/// silently shorter data. <see cref="GZipStream"/> alone returns end of stream for many truncation points.
/// </summary>
/// <remarks>
/// Errors are <see cref="InvalidDataException"/>s whose message says what is wrong with the gzip data; the readers add
/// the file and the line or offset. A file of several concatenated gzip members fails the check (the trailer covers
/// only the last member) and the message says so.
/// </remarks>
internal sealed class GzipChecked : Stream
{
    /// <summary>The 10-byte header and 8-byte trailer every gzip member has, around at least one deflate byte.</summary>
    private const int MinimumLength = 10 + 8;

    private readonly GZipStream _inner;
    private readonly uint _expectedCrc;
    private readonly uint _expectedLength;
    private uint _crc = 0xFFFFFFFF;
    private long _length;
    private bool _checked;

    public GzipChecked(FileStream file)
    {
        if (file.Length < MinimumLength)
        {
            throw new InvalidDataException(
                $"the gzip file is truncated: it holds {file.Length} bytes, fewer than the {MinimumLength} of a gzip header and trailer");
        }
        Span<byte> trailer = stackalloc byte[8];
        file.Position = file.Length - 8;
        file.ReadExactly(trailer);
        file.Position = 0;
        _expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        _expectedLength = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        _inner = new GZipStream(file, CompressionMode.Decompress);
    }

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = _inner.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"the gzip data is truncated or corrupt after {_length} decompressed bytes ({e.Message})", e);
        }
        if (read == 0 && buffer.Length > 0)
        {
            CheckTrailer();
        }
        _crc = Crc32.Update(_crc, buffer[..read]);
        _length += read;
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private void CheckTrailer()
    {
        if (_checked)
        {
            return;
        }
        uint crc = ~_crc;
        if (crc != _expectedCrc || (uint)_length != _expectedLength)
        {
            throw new InvalidDataException(
                $"the gzip data is truncated or corrupt: it decompresses to {_length} bytes with CRC-32 0x{crc:x8}, but the file's trailer " +
                $"says {_expectedLength} bytes (modulo 2^32) with CRC-32 0x{_expectedCrc:x8} (several concatenated gzip members fail this check " +
                "too: recompress such a file as one member)");
        }
        _checked = true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _length; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>The CRC-32 of gzip and zip (reflected polynomial 0xEDB88320), one table lookup per byte.</summary>
    private static class Crc32
    {
        private static readonly uint[] Table = CreateTable();

        public static uint Update(uint crc, ReadOnlySpan<byte> bytes)
        {
            uint[] table = Table;
            foreach (byte b in bytes)
            {
                crc = table[(byte)(crc ^ b)] ^ (crc >> 8);
            }
            return crc;
        }

        private static uint[] CreateTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }
                table[n] = c;
            }
            return table;
        }
    }
}
