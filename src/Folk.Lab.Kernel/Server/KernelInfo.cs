using System.Text.Json.Nodes;

namespace Folk.Lab.Kernel.Server;

/// <summary>The content of kernel_info_reply: protocol version, implementation and the C# language_info.</summary>
public static class KernelInfo
{
    /// <summary>The reply content.</summary>
    public static JsonObject Content() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = Protocol.Message.ProtocolVersion,
        ["implementation"] = "folk-lab",
        ["implementation_version"] = typeof(KernelInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        ["language_info"] = LanguageInfo(),
        ["banner"] = "C# (Folk.Lab): Roslyn scripting with Folk.Lab and TorchSharp referenced",
        ["help_links"] = new JsonArray(),
    };

    /// <summary>language_info, also written to notebook metadata by headless runs.</summary>
    public static JsonObject LanguageInfo() => new()
    {
        ["name"] = "csharp",
        ["version"] = "14.0",
        ["mimetype"] = "text/x-csharp",
        ["file_extension"] = ".cs",
        ["pygments_lexer"] = "csharp",
        ["codemirror_mode"] = "text/x-csharp",
    };
}
