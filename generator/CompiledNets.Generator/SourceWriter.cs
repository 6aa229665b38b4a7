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

    public void Line(string text)
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indent * 4);
        }
        _builder.Append(text).Append('\n');
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents.</summary>
    public void Open(string header)
    {
        Line(header);
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
