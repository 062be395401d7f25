using System.Text.Json.Nodes;

namespace Folk.Lab.Kernel.Protocol;

/// <summary>
/// One Jupyter message: routing identities, header, parent header, metadata, content and binary buffers. The JSON parts
/// stay <see cref="JsonObject"/>s so unknown fields travel untouched.
/// </summary>
public sealed class Message
{
    /// <summary>The protocol version this kernel speaks.</summary>
    public const string ProtocolVersion = "5.3";

    /// <summary>ZeroMQ routing prefix (ROUTER sockets); the reply goes back with the same identities.</summary>
    public IReadOnlyList<byte[]> Identities { get; init; } = [];

    /// <summary>msg_id, session, username, date, msg_type, version.</summary>
    public required JsonObject Header { get; init; }

    /// <summary>The header of the request this message answers; empty for unsolicited messages.</summary>
    public JsonObject ParentHeader { get; init; } = new();

    /// <summary>Free-form metadata.</summary>
    public JsonObject Metadata { get; init; } = new();

    /// <summary>The message body, by msg_type.</summary>
    public JsonObject Content { get; init; } = new();

    /// <summary>Extra binary frames.</summary>
    public IReadOnlyList<byte[]> Buffers { get; init; } = [];

    /// <summary>header.msg_type.</summary>
    public string Type => Header["msg_type"]?.GetValue<string>() ?? "";

    /// <summary>header.msg_id.</summary>
    public string Id => Header["msg_id"]?.GetValue<string>() ?? "";

    /// <summary>header.session.</summary>
    public string Session => Header["session"]?.GetValue<string>() ?? "";

    /// <summary>A new header of <paramref name="type"/> in <paramref name="session"/>.</summary>
    public static JsonObject NewHeader(string type, string session) => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString("N"),
        ["session"] = session,
        ["username"] = "kernel",
        ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffzzz"),
        ["msg_type"] = type,
        ["version"] = ProtocolVersion,
    };

    /// <summary>
    /// A message of <paramref name="type"/> answering this one: same identities (so a ROUTER routes it back), this header
    /// as parent, in <paramref name="session"/>.
    /// </summary>
    public Message Reply(string type, JsonObject content, string session, JsonObject? metadata = null) => new()
    {
        Identities = Identities,
        Header = NewHeader(type, session),
        ParentHeader = (JsonObject)Header.DeepClone(),
        Metadata = metadata ?? new JsonObject(),
        Content = content,
    };

    /// <summary>A message of <paramref name="type"/> for iopub whose parent is this one (no identities: the topic is set when sent).</summary>
    public Message Broadcast(string type, JsonObject content, string session) => new()
    {
        Header = NewHeader(type, session),
        ParentHeader = (JsonObject)Header.DeepClone(),
        Content = content,
    };
}
