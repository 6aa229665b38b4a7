using System;
using System.IO;

namespace CompiledNets;

/// <summary>
/// Reads lines like <see cref="TextReader.ReadLine"/> (ended by <c>\n</c>, <c>\r\n</c> or <c>\r</c>) but refuses a line
/// longer than <see cref="MaxLength"/> characters once it has read that many, so a huge file without line breaks costs
/// a bounded buffer and a clear error instead of running out of memory.
/// </summary>
internal sealed class LineReader(TextReader reader, int maxLength)
{
    private readonly char[] _block = new char[1 << 16];
    private char[] _line = new char[256];
    private int _start, _end;
    private bool _skipLineFeed;

    public int MaxLength { get; } = maxLength;

    /// <summary>The next line without its ending, or null at the end of the text.</summary>
    /// <exception cref="InvalidDataException">The line is longer than <see cref="MaxLength"/>.</exception>
    public string? ReadLine()
    {
        int length = 0;
        bool any = false;
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = reader.Read(_block, 0, _block.Length);
                if (_end == 0)
                {
                    return any ? new string(_line, 0, length) : null;
                }
            }
            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (_block[_start] == '\n')
                {
                    _start++;
                    continue;
                }
            }
            any = true;
            ReadOnlySpan<char> available = _block.AsSpan(_start, _end - _start);
            int stop = available.IndexOfAny('\n', '\r');
            ReadOnlySpan<char> part = stop < 0 ? available : available[..stop];
            if (length + part.Length > MaxLength)
            {
                throw new InvalidDataException(
                    $"expected a line of at most {MaxLength} characters but this one is longer: not a text file of rows, or a damaged one");
            }
            if (length + part.Length > _line.Length)
            {
                Array.Resize(ref _line, Math.Min(MaxLength, Math.Max(length + part.Length, 2 * _line.Length)));
            }
            part.CopyTo(_line.AsSpan(length));
            length += part.Length;
            if (stop < 0)
            {
                _start = _end;
                continue;
            }
            _skipLineFeed = available[stop] == '\r';
            _start += stop + 1;
            return new string(_line, 0, length);
        }
    }
}
