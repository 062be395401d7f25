using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Execution;
using Microsoft.CodeAnalysis.CSharp;

namespace Folk.Lab.Kernel.Server;

/// <summary>is_complete_request, complete_request and inspect_request over the session's code.</summary>
public sealed class IntrospectionHandler(CellEngine engine)
{
    static readonly CSharpParseOptions ScriptParse = new(LanguageVersion.Latest, kind: Microsoft.CodeAnalysis.SourceCodeKind.Script);

    /// <summary>"complete" when the code is a whole submission, "incomplete" (with an indent) otherwise.</summary>
    public JsonObject IsComplete(JsonObject content)
    {
        var code = CellDirectives.Parse(content["code"]?.GetValue<string>() ?? "").Code;
        var tree = CSharpSyntaxTree.ParseText(code, ScriptParse);
        return SyntaxFactory.IsCompleteSubmission(tree)
            ? new JsonObject { ["status"] = "complete" }
            : new JsonObject { ["status"] = "incomplete", ["indent"] = "    " };
    }

    /// <summary>Completions at the cursor.</summary>
    public JsonObject Complete(JsonObject content)
    {
        var code = content["code"]?.GetValue<string>() ?? "";
        var cursor = content["cursor_pos"]?.GetValue<int>() ?? code.Length;
        var completions = new Completions(engine.Session).At(code, cursor);
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
        var text = new Completions(engine.Session).Describe(code, cursor);
        return new JsonObject
        {
            ["status"] = "ok",
            ["found"] = text is not null,
            ["data"] = text is null ? new JsonObject() : new JsonObject { ["text/plain"] = text },
            ["metadata"] = new JsonObject(),
        };
    }
}
