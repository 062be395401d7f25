using System.Text;
using System.Text.Json.Nodes;

namespace Folk.Lab.Kernel.Protocol;

/// <summary>Why a received multipart message was not accepted.</summary>
public sealed class WireException(string message) : Exception(message);

/// <summary>
/// The multipart framing of a message: identities…, "&lt;IDS|MSG&gt;", HMAC signature, header, parent header,
/// metadata, content, buffers…. Decoding checks the signature before anything is parsed.
/// </summary>
public static class Wire
{
    /// <summary>The delimiter between routing identities and the message.</summary>
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    /// <summary>The frames of <paramref name="message"/>, signed with <paramref name="signer"/>.</summary>
    public static List<byte[]> Encode(Message message, MessageSigner signer)
    {
        var body = new[] { Json(message.Header), Json(message.ParentHeader), Json(message.Metadata), Json(message.Content) };
        var frames = new List<byte[]>(message.Identities.Count + 6 + message.Buffers.Count);
        frames.AddRange(message.Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(body)));
        frames.AddRange(body);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>
    /// Parses received frames; throws <see cref="WireException"/> when the delimiter or a part is missing, the
    /// signature does not match, or a JSON part is malformed.
    /// </summary>
    public static Message Decode(IReadOnlyList<byte[]> frames, MessageSigner signer)
    {
        int delimiter = -1;
        for (int i = 0; i < frames.Count; i++)
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) { delimiter = i; break; }
        if (delimiter < 0) throw new WireException("no <IDS|MSG> delimiter frame");
        if (frames.Count < delimiter + 6) throw new WireException($"{frames.Count - delimiter - 1} frames after the delimiter; 5 expected (signature, header, parent_header, metadata, content)");
        var body = new[] { frames[delimiter + 2], frames[delimiter + 3], frames[delimiter + 4], frames[delimiter + 5] };
        var signature = Encoding.ASCII.GetString(frames[delimiter + 1]);
        if (!signer.Verify(signature, body))
            throw new WireException(signature.Length == 0 ? "missing signature" : "wrong signature");
        return new Message
        {
            Identities = frames.Take(delimiter).ToList(),
            Header = Parse(body[0], "header"),
            ParentHeader = Parse(body[1], "parent_header"),
            Metadata = Parse(body[2], "metadata"),
            Content = Parse(body[3], "content"),
            Buffers = frames.Skip(delimiter + 6).ToList(),
        };
    }

    static byte[] Json(JsonObject part) => Encoding.UTF8.GetBytes(part.ToJsonString());

    static JsonObject Parse(byte[] frame, string part)
    {
        try { return JsonNode.Parse(frame) as JsonObject ?? throw new WireException($"{part} is not a JSON object"); }
        catch (System.Text.Json.JsonException e) { throw new WireException($"{part} is not valid JSON ({e.Message})"); }
    }
}
