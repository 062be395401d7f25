using System.Globalization;

namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// Papermill-style parameters: the cell injected right after the one tagged <c>parameters</c>, which redeclares each
/// variable (<c>var Name = value;</c>) so the given value replaces the default.
/// </summary>
public static class NotebookParameters
{
    /// <summary>The tag of the cell holding the defaults.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>The tag of the injected cell.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>The injected cell's source; values are C# expressions.</summary>
    public static string Cell(IReadOnlyDictionary<string, string> expressions) =>
        "// Parameters\n" + string.Join('\n', expressions.Select(p => $"var {p.Key} = {p.Value};"));

    /// <summary>
    /// A command-line value as a C# expression: integers, numbers, true/false and already-quoted strings stay as they
    /// are; anything else becomes a string literal (<c>-p Scale=full</c> gives <c>"full"</c>).
    /// </summary>
    public static string Expression(string value)
    {
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)) return value;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return value.Contains('.') || value.Contains('e') || value.Contains('E') ? value : value + ".0";
        if (value is "true" or "false" or "null") return value;
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') return value;
        return Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);
    }

    /// <summary>Parses "name=value" (the <c>-p</c> option); errors say what is expected.</summary>
    public static KeyValuePair<string, string> Parse(string assignment)
    {
        var equals = assignment.IndexOf('=');
        var name = equals > 0 ? assignment[..equals].Trim() : "";
        if (name.Length == 0 || !Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(name))
            throw new ArgumentException($"-p '{assignment}': expected name=value with a C# variable name, e.g. -p Scale=quick.");
        return new(name, Expression(assignment[(equals + 1)..]));
    }
}
