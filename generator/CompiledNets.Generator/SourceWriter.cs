using System.Text;

namespace CompiledNets.Generator;

/// <summary>A minimal indented text writer for generated C#.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public void Indent() => _indent++;

    public void Unindent() => _indent--;

    public void Line() => _builder.Append('\n');

    /// <summary>Generated lines stay within this width; longer code lines are wrapped.</summary>
    public const int MaxWidth = 160;

    public void Line(string text)
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indent * 4);
        }
        int limit = MaxWidth - _indent * 4;
        if (text.Length > limit && !text.TrimStart().StartsWith("//", System.StringComparison.Ordinal) && BreakAt(text, limit) is int at and > 0)
        {
            // The rest goes on continuation lines one level deeper.
            _builder.Append(text, 0, at).Append('\n');
            _indent++;
            Line(text.Substring(at).TrimStart());
            _indent--;
            return;
        }
        _builder.Append(text).Append('\n');
    }

    /// <summary>
    /// Where to break a long line: after a <c>=&gt;</c> or <c>, </c> before <paramref name="limit"/> that is not inside a
    /// string literal or a trailing comment, the last one among those nested least deeply in parentheses (so whole arguments stay together),
    /// or -1 when there is none.
    /// </summary>
    private static int BreakAt(string text, int limit)
    {
        int best = -1, bestDepth = int.MaxValue, depth = 0;
        bool inString = false;
        for (int i = 1; i < text.Length - 1 && i < limit; i++)
        {
            char c = text[i];
            if (c == '"' && text[i - 1] != '\\')
            {
                inString = !inString;
            }
            else if (inString)
            {
                continue;
            }
            else if (c == '/' && text[i + 1] == '/')
            {
                // A trailing comment: breaking inside it would turn its rest into code.
                break;
            }
            else if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                depth--;
            }
            else if (((c == ',' && text[i + 1] == ' ') || (c == '>' && text[i - 1] == '=' && text[i + 1] == ' ')) && depth <= bestDepth)
            {
                best = i + 1;
                bestDepth = depth;
            }
        }
        return best;
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents.</summary>
    public void Open(string header)
    {
        Line(header);
        Line("{");
        Indent();
    }

    /// <summary>
    /// Writes the signature of a method generic over the vector type <c>V</c>, its constraint, an opening
    /// brace, and indents.
    /// </summary>
    public void OpenGeneric(string signature)
    {
        Line(signature);
        Indent();
        Line("where V : unmanaged, ISimd<V>");
        Unindent();
        Line("{");
        Indent();
    }

    /// <summary>Unindents and writes a closing brace (with an optional suffix such as <c>;</c>).</summary>
    public void Close(string suffix = "")
    {
        // A member list ends without the blank line that separated its members.
        if (_builder.Length >= 2 && _builder[_builder.Length - 1] == '\n' && _builder[_builder.Length - 2] == '\n')
        {
            _builder.Length--;
        }
        Unindent();
        Line("}" + suffix);
    }

    public override string ToString() => _builder.ToString();
}
