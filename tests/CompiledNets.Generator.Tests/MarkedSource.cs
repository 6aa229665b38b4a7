using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace CompiledNets.Generator.Tests;

/// <summary>
/// Test source with the expected diagnostic locations marked as <c>[|...|]</c>, as Roslyn's own tests
/// mark them: <c>[[|Linear(30, 2)|]]</c> is the attribute <c>[Linear(30, 2)]</c> with the squiggle
/// expected under <c>Linear(30, 2)</c>. <see cref="Text"/> is the source without the markers.
/// </summary>
internal sealed class MarkedSource
{
    private const string Open = "[|";
    private const string Close = "|]";

    public MarkedSource(string marked)
    {
        var spans = new List<TextSpan>();
        var text = new System.Text.StringBuilder();
        int i = 0;
        while (i < marked.Length)
        {
            int open = marked.IndexOf(Open, i, System.StringComparison.Ordinal);
            if (open < 0)
            {
                text.Append(marked, i, marked.Length - i);
                break;
            }
            int close = marked.IndexOf(Close, open + Open.Length, System.StringComparison.Ordinal);
            Assert.True(close >= 0, $"Unclosed {Open} at offset {open}.");
            text.Append(marked, i, open - i);
            int start = text.Length;
            text.Append(marked, open + Open.Length, close - open - Open.Length);
            spans.Add(TextSpan.FromBounds(start, text.Length));
            i = close + Close.Length;
        }
        Text = text.ToString();
        Spans = spans;
    }

    /// <summary>The source as the compiler sees it.</summary>
    public string Text { get; }

    /// <summary>The marked spans, in source order.</summary>
    public IReadOnlyList<TextSpan> Spans { get; }

    /// <summary>The only marked span.</summary>
    public TextSpan Span => Assert.Single(Spans);
}
