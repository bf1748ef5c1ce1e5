using ShadowMcp.Classifier.Matching;

namespace ShadowMcp.Classifier.Conditions;

/// <summary>
/// Parses a Sigma-style condition:
/// <code>
/// expr    := and ('or' and)*
/// and     := unary ('and' unary)*
/// unary   := 'not' unary | primary
/// primary := '(' expr ')' | ('1' | 'any' | 'all') 'of' (name | prefix'*' | 'them') | name
/// </code>
/// Keywords are lower-case. Errors carry the offset of the offending token.
/// </summary>
internal sealed class ConditionParser
{
    private readonly string _text;
    private readonly IReadOnlyDictionary<string, Selection> _selections;
    private int _pos;

    private ConditionParser(string text, IReadOnlyDictionary<string, Selection> selections)
    {
        _text = text;
        _selections = selections;
    }

    public static ConditionNode Parse(string text, IReadOnlyDictionary<string, Selection> selections)
    {
        var parser = new ConditionParser(text, selections);
        parser.SkipSpace();
        if (parser._pos >= text.Length) throw new ConditionSyntaxException("empty condition", 0);
        var node = parser.ParseOr();
        parser.SkipSpace();
        if (parser._pos < text.Length)
            throw new ConditionSyntaxException($"unexpected '{parser.PeekToken().Text}'", parser._pos);
        return node;
    }

    private ConditionNode ParseOr()
    {
        var operands = new List<ConditionNode> { ParseAnd() };
        while (TryKeyword("or")) operands.Add(ParseAnd());
        return operands.Count == 1 ? operands[0] : new OrCondition(operands);
    }

    private ConditionNode ParseAnd()
    {
        var operands = new List<ConditionNode> { ParseUnary() };
        while (TryKeyword("and")) operands.Add(ParseUnary());
        return operands.Count == 1 ? operands[0] : new AndCondition(operands);
    }

    private ConditionNode ParseUnary() => TryKeyword("not") ? new NotCondition(ParseUnary()) : ParsePrimary();

    private ConditionNode ParsePrimary()
    {
        var token = NextToken();
        switch (token.Text)
        {
            case "":
                throw new ConditionSyntaxException("expected a selection name, 'not', '(' or 'N of', found the end of the condition", token.Offset);
            case "(":
            {
                var inner = ParseOr();
                var close = NextToken();
                if (close.Text != ")")
                    throw new ConditionSyntaxException(close.Text.Length == 0 ? "missing ')'" : $"expected ')', found '{close.Text}'", close.Offset);
                return inner;
            }
            case ")":
                throw new ConditionSyntaxException("unexpected ')'", token.Offset);
            case "and" or "or" or "of" or "them":
                throw new ConditionSyntaxException($"unexpected '{token.Text}'", token.Offset);
            case "1" or "any" or "all":
                return ParseQuantifier(token);
            default:
                if (!IsName(token.Text))
                    throw new ConditionSyntaxException($"unexpected '{token.Text}'", token.Offset);
                if (!_selections.TryGetValue(token.Text, out var selection))
                    throw new ConditionSyntaxException($"unknown selection '{token.Text}'", token.Offset);
                return new SelectionCondition(selection);
        }
    }

    private ConditionNode ParseQuantifier(Token quantifier)
    {
        var of = NextToken();
        if (of.Text != "of")
            throw new ConditionSyntaxException($"expected 'of' after '{quantifier.Text}'", of.Offset);
        var target = NextToken();
        List<Selection> matched;
        if (target.Text == "them")
            matched = [.. _selections.Values];
        else if (target.Text.EndsWith('*') && IsName(target.Text[..^1]))
        {
            var prefix = target.Text[..^1];
            matched = [.. _selections.Values.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal))];
            if (matched.Count == 0)
                throw new ConditionSyntaxException($"'{target.Text}' matches no selection", target.Offset);
        }
        else if (IsName(target.Text))
        {
            if (!_selections.TryGetValue(target.Text, out var one))
                throw new ConditionSyntaxException($"unknown selection '{target.Text}'", target.Offset);
            matched = [one];
        }
        else
            throw new ConditionSyntaxException("expected a selection name, a name pattern ending in '*', or 'them'", target.Offset);

        var nodes = matched.Select(s => (ConditionNode)new SelectionCondition(s)).ToList();
        if (nodes.Count == 1) return nodes[0];
        return quantifier.Text == "all" ? new AndCondition(nodes) : new OrCondition(nodes);
    }

    private bool TryKeyword(string keyword)
    {
        var save = _pos;
        if (NextToken().Text == keyword) return true;
        _pos = save;
        return false;
    }

    private Token PeekToken()
    {
        var save = _pos;
        var token = NextToken();
        _pos = save;
        return token;
    }

    private Token NextToken()
    {
        SkipSpace();
        if (_pos >= _text.Length) return new Token("", _pos);
        var start = _pos;
        var c = _text[_pos];
        if (c is '(' or ')')
        {
            _pos++;
            return new Token(c.ToString(), start);
        }
        while (_pos < _text.Length && !char.IsWhiteSpace(_text[_pos]) && _text[_pos] is not ('(' or ')')) _pos++;
        return new Token(_text[start.._pos], start);
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    internal static bool IsName(string text)
    {
        if (text.Length == 0 || !(char.IsAsciiLetter(text[0]) || text[0] == '_')) return false;
        foreach (var ch in text)
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-')) return false;
        return true;
    }

    private readonly record struct Token(string Text, int Offset);
}
