using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Server;

namespace Folk.Lab.Kernel.Tests.Server;

/// <summary>Introspection knows C# only: F# and Python cells get no C# answers.</summary>
public sealed class IntrospectionHandlerTests
{
    [Fact]
    public void CSharpCellsAreCompletedAndOtherLanguagesAreLeftAlone()
    {
        using var engine = new CellEngine();
        var handler = new IntrospectionHandler(engine);
        JsonObject Request(string code) => new() { ["code"] = code, ["cursor_pos"] = code.Length };

        var csharp = handler.Complete(Request("Math.Ab"));
        Assert.Contains("Abs", csharp["matches"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal("incomplete", handler.IsComplete(Request("if (true) {"))["status"]!.GetValue<string>());

        foreach (var other in new[] { "#!python\nimport ma", "#!fsharp\nlet x = Math.Ab" })
        {
            var reply = handler.Complete(Request(other));
            Assert.Empty(reply["matches"]!.AsArray());
            Assert.Equal(other.Length, reply["cursor_start"]!.GetValue<int>());
            Assert.Equal("unknown", handler.IsComplete(Request(other))["status"]!.GetValue<string>());
            Assert.False(handler.Inspect(Request(other))["found"]!.GetValue<bool>());
        }
    }
}
