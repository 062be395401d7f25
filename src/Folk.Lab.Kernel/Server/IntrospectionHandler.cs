using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Execution;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Folk.Lab.Kernel.Server;

/// <summary>is_complete_request, complete_request and inspect_request over the session's code. They know C#: for an F#
/// or Python cell they answer "unknown", no completions and nothing found, rather than C#'s answers.</summary>
public sealed class IntrospectionHandler(CellEngine engine)
{
    static bool IsCSharp(string code) => CellDirectives.Parse(code).Language == "csharp";

    static readonly CSharpParseOptions ScriptParse = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    /// <summary>
    /// "incomplete" (with the next line's indent) when more input could finish the code, "invalid" when it is whole
    /// but cannot compile whatever follows (a stray '}', "int 3x"), "complete" otherwise.
    /// </summary>
    public JsonObject IsComplete(JsonObject content)
    {
        var cell = content["code"]?.GetValue<string>() ?? "";
        if (!IsCSharp(cell)) return new JsonObject { ["status"] = "unknown" };
        var code = CellDirectives.Parse(cell).Code;
        var tree = CSharpSyntaxTree.ParseText(code, ScriptParse);
        if (!SyntaxFactory.IsCompleteSubmission(tree))
            return new JsonObject { ["status"] = "incomplete", ["indent"] = new string(' ', 4 * Math.Max(1, OpenBraces(tree))) };
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)
            ? new JsonObject { ["status"] = "invalid" }
            : new JsonObject { ["status"] = "complete" };
    }

    /// <summary>How many '{' are still open at the end of the code.</summary>
    static int OpenBraces(SyntaxTree tree)
    {
        int depth = 0;
        foreach (var token in tree.GetRoot().DescendantTokens())
        {
            if (token.IsMissing) continue;
            if (token.IsKind(SyntaxKind.OpenBraceToken)) depth++;
            else if (token.IsKind(SyntaxKind.CloseBraceToken)) depth = Math.Max(0, depth - 1);
        }
        return depth;
    }

    /// <summary>Completions at the cursor.</summary>
    public JsonObject Complete(JsonObject content)
    {
        var code = content["code"]?.GetValue<string>() ?? "";
        var cursor = content["cursor_pos"]?.GetValue<int>() ?? code.Length;
        (IReadOnlyList<string> Items, int Start, int End) completions = IsCSharp(code) ? new Completions(engine.Session).At(code, cursor) : ([], cursor, cursor);
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(completions.Items.Select(i => (JsonNode)JsonValue.Create(i)!).ToArray()),
            ["cursor_start"] = completions.Start,
            ["cursor_end"] = completions.End,
            ["metadata"] = new JsonObject(),
        };
    }

    /// <summary>Signature and documentation of the symbol at the cursor.</summary>
    public JsonObject Inspect(JsonObject content)
    {
        var code = content["code"]?.GetValue<string>() ?? "";
        var cursor = content["cursor_pos"]?.GetValue<int>() ?? code.Length;
        var text = IsCSharp(code) ? new Completions(engine.Session).Describe(code, cursor) : null;
        return new JsonObject
        {
            ["status"] = "ok",
            ["found"] = text is not null,
            ["data"] = text is null ? new JsonObject() : new JsonObject { ["text/plain"] = text },
            ["metadata"] = new JsonObject(),
        };
    }
}
