using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Tests.Support;

namespace Folk.Lab.Kernel.Tests.Jupyter;

/// <summary>One kernel answering complete, inspect, is_complete and kernel_info requests from jupyter_client.</summary>
public sealed class IntrospectionKernel() : SharedKernelCheck("introspection");

/// <summary>
/// complete_request, inspect_request, is_complete_request and kernel_info_request sent by jupyter_client
/// (scripts/kernel_checks.py introspection) to one kernel, after the cell <c>var data = new List&lt;int&gt;();</c>.
/// </summary>
[Trait("Category", "Slow"), Collection(JupyterCollection.Name)]
public class IntrospectionTests(IntrospectionKernel kernel) : IClassFixture<IntrospectionKernel>
{
    readonly JsonObject _result = kernel.Result;

    JsonObject Completion(string name) => _result["complete"]![name]!.AsObject();

    static List<string> Matches(JsonObject completion) => completion["matches"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();

    [JupyterFact]
    public void CompletionAfterAVariableOffersItsMembersAndReplacesWhatWasTyped()
    {
        Assert.Equal("ok", _result["declared"]!.GetValue<string>());
        var members = Completion("data.Ad");
        Assert.Equal("ok", members["status"]!.GetValue<string>());
        var matches = Matches(members);
        Assert.Contains("Add", matches);
        Assert.Contains("AddRange", matches);
        Assert.All(matches, m => Assert.StartsWith("Ad", m));
        Assert.Equal((5, 7), (members["cursor_start"]!.GetValue<int>(), members["cursor_end"]!.GetValue<int>())); // "Ad"

        var console = Completion("Console.Wri");
        Assert.Equal("ok", console["status"]!.GetValue<string>());
        Assert.Contains("WriteLine", Matches(console));
        Assert.Contains("Write", Matches(console));
        Assert.Equal((8, 11), (console["cursor_start"]!.GetValue<int>(), console["cursor_end"]!.GetValue<int>()));
    }

    [JupyterFact]
    public void CompletionInTheMiddleOfACellUsesTheCursorNotTheEnd()
    {
        var middle = Completion("middle"); // "var n = data.Cou|\nConsole.WriteLine(n);"
        Assert.Equal("ok", middle["status"]!.GetValue<string>());
        Assert.Contains("Count", Matches(middle));
        Assert.Equal((13, 16), (middle["cursor_start"]!.GetValue<int>(), middle["cursor_end"]!.GetValue<int>()));
    }

    [JupyterFact]
    public void CompletionMatchesAreTextThatCanBeInsertedAsIs()
    {
        var members = Matches(Completion("after_dot"));
        Assert.Contains("Add", members);
        Assert.Contains("Where", members); // the LINQ extension methods of the System.Linq import
        Assert.DoesNotContain(members, m => m.Contains('<') || m.Contains('['));
        Assert.DoesNotContain("foreach", members); // Roslyn's postfix snippet: Jupyter would insert the bare word
        Assert.Equal(members.Distinct().Count(), members.Count);
    }

    [JupyterFact]
    public void InspectGivesTheSignatureOfAKnownSymbolAndNotFoundForAnUnknownOne()
    {
        var method = _result["inspect"]!["Console.WriteLine"]!.AsObject();
        Assert.Equal("ok", method["status"]!.GetValue<string>());
        Assert.True(method["found"]!.GetValue<bool>());
        var text = method["data"]!["text/plain"]!.GetValue<string>();
        Assert.Contains("System.Console.WriteLine(string?)", text); // every overload of the method group
        Assert.Contains("System.Console.WriteLine(int)", text);

        var call = _result["inspect"]!["inside"]!.AsObject(); // cursor inside "WriteLine" of a call: the chosen overload
        Assert.True(call["found"]!.GetValue<bool>());
        Assert.StartsWith("System.Console.WriteLine(string?)", call["data"]!["text/plain"]!.GetValue<string>());

        var variable = _result["inspect"]!["variable"]!.AsObject();
        Assert.True(variable["found"]!.GetValue<bool>());
        Assert.Equal("System.Collections.Generic.List<int> data", variable["data"]!["text/plain"]!.GetValue<string>());

        var unknown = _result["inspect"]!["unknown"]!.AsObject();
        Assert.Equal("ok", unknown["status"]!.GetValue<string>());
        Assert.False(unknown["found"]!.GetValue<bool>());
        Assert.Empty(unknown["data"]!.AsObject());
    }

    [JupyterFact]
    public void IsCompleteTellsCompleteIncompleteWithTheIndentAndInvalid()
    {
        JsonObject Reply(string code) => _result["is_complete"]![code]!.AsObject();
        Assert.Equal("complete", Reply("var x = 1;")["status"]!.GetValue<string>());
        Assert.Equal("complete", Reply("1 + 1")["status"]!.GetValue<string>());
        Assert.Equal("complete", Reply("")["status"]!.GetValue<string>());
        Assert.Equal("incomplete", Reply("if (true) {")["status"]!.GetValue<string>());
        Assert.Equal("    ", Reply("if (true) {")["indent"]!.GetValue<string>());
        Assert.Equal("        ", Reply("if (true) {\n    if (false) {")["indent"]!.GetValue<string>());
        Assert.Equal("incomplete", Reply("var y = (1 + ")["status"]!.GetValue<string>());
        Assert.Equal("invalid", Reply("var z = 1; }")["status"]!.GetValue<string>());
        Assert.Equal("invalid", Reply("int 3x = 4;")["status"]!.GetValue<string>());
    }

    [JupyterFact]
    public void KernelInfoReplyDescribesProtocolAndLanguage()
    {
        var info = _result["kernel_info"]!.AsObject();
        Assert.Equal("ok", info["status"]!.GetValue<string>());
        Assert.Equal("5.3", info["protocol_version"]!.GetValue<string>());
        Assert.Equal("folk-lab", info["implementation"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(info["banner"]?.GetValue<string>()));
        var language = info["language_info"]!.AsObject();
        Assert.Equal("csharp", language["name"]!.GetValue<string>());
        Assert.Equal(".cs", language["file_extension"]!.GetValue<string>());
        Assert.Equal("text/x-csharp", language["mimetype"]!.GetValue<string>());
        Assert.Equal("csharp", language["pygments_lexer"]!.GetValue<string>());
        Assert.Equal("text/x-csharp", language["codemirror_mode"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(language["version"]?.GetValue<string>()));
    }

    [JupyterFact]
    public void TheKernelStillRunsCellsAfterTheRequests()
    {
        Assert.Equal("ok", _result["after"]!["status"]!.GetValue<string>());
        Assert.Equal("0", _result["after"]!["value"]![0]!.GetValue<string>()); // data.Count
    }
}
