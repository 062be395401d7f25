using System.Text.Json;
using System.Text.Json.Serialization;

namespace Folk.Lab.Kernel.Protocol;

/// <summary>
/// The connection file a Jupyter client writes before starting a kernel: where the five sockets listen and the key that
/// signs every message (Jupyter messaging protocol, "connection files").
/// </summary>
public sealed record ConnectionFile
{
    /// <summary>"tcp" (the only transport supported: NetMQ's ipc is not libzmq-compatible).</summary>
    [JsonPropertyName("transport")] public string Transport { get; init; } = "tcp";

    /// <summary>Address to bind, e.g. 127.0.0.1.</summary>
    [JsonPropertyName("ip")] public string Ip { get; init; } = "127.0.0.1";

    /// <summary>ROUTER port for execute, complete, inspect and kernel_info requests.</summary>
    [JsonPropertyName("shell_port")] public int ShellPort { get; init; }

    /// <summary>PUB port for outputs and status.</summary>
    [JsonPropertyName("iopub_port")] public int IopubPort { get; init; }

    /// <summary>ROUTER port for input requests.</summary>
    [JsonPropertyName("stdin_port")] public int StdinPort { get; init; }

    /// <summary>ROUTER port for interrupt and shutdown.</summary>
    [JsonPropertyName("control_port")] public int ControlPort { get; init; }

    /// <summary>REP port that echoes heartbeats.</summary>
    [JsonPropertyName("hb_port")] public int HeartbeatPort { get; init; }

    /// <summary>HMAC key; empty disables signing (as the protocol specifies).</summary>
    [JsonPropertyName("key")] public string Key { get; init; } = "";

    /// <summary>"hmac-sha256" (the only scheme supported) or empty when <see cref="Key"/> is empty.</summary>
    [JsonPropertyName("signature_scheme")] public string SignatureScheme { get; init; } = "hmac-sha256";

    /// <summary>The ZeroMQ endpoint of one port, e.g. tcp://127.0.0.1:5555.</summary>
    public string Endpoint(int port) => $"{Transport}://{Ip}:{port}";

    /// <summary>Reads and checks a connection file; errors name the file and the field.</summary>
    public static ConnectionFile Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: connection file not found (Jupyter passes it as --connection-file {{connection_file}}).", path);
        ConnectionFile? file;
        try { file = JsonSerializer.Deserialize<ConnectionFile>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid connection file ({e.Message}).", e); }
        if (file is null) throw new InvalidDataException($"{path}: the connection file is empty.");
        if (file.Transport != "tcp")
            throw new InvalidDataException($"{path}: transport '{file.Transport}' is not supported; use \"tcp\".");
        if (file.Key.Length > 0 && file.SignatureScheme != "hmac-sha256")
            throw new InvalidDataException($"{path}: signature_scheme '{file.SignatureScheme}' is not supported; use \"hmac-sha256\".");
        foreach (var (name, port) in new[] { ("shell_port", file.ShellPort), ("iopub_port", file.IopubPort), ("stdin_port", file.StdinPort),
                     ("control_port", file.ControlPort), ("hb_port", file.HeartbeatPort) })
            if (port is <= 0 or > 65535) throw new InvalidDataException($"{path}: {name} = {port} is not a TCP port (1–65535).");
        return file;
    }
}
