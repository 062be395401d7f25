using System.Security.Cryptography;

namespace Folk.Lab.Kernel.Protocol;

/// <summary>
/// Signs and verifies messages: HMAC-SHA256 of the header, parent header, metadata and content frames, hex-encoded.
/// An empty key turns signing off (the signature frame is then empty and not checked), as the protocol specifies.
/// </summary>
public sealed class MessageSigner
{
    readonly byte[] _key;

    /// <summary>A signer for the connection file's key.</summary>
    public MessageSigner(string key) => _key = System.Text.Encoding.UTF8.GetBytes(key);

    /// <summary>True when a key is set and messages are signed.</summary>
    public bool Enabled => _key.Length > 0;

    /// <summary>The lowercase hex signature of the four frames (header, parent_header, metadata, content).</summary>
    public string Sign(IReadOnlyList<byte[]> frames)
    {
        if (!Enabled) return "";
        using var hmac = new HMACSHA256(_key);
        foreach (var frame in frames) hmac.TransformBlock(frame, 0, frame.Length, null, 0);
        hmac.TransformFinalBlock([], 0, 0);
        return Convert.ToHexStringLower(hmac.Hash!);
    }

    /// <summary>True when <paramref name="signature"/> is the signature of the frames (constant-time comparison).</summary>
    public bool Verify(string signature, IReadOnlyList<byte[]> frames)
    {
        if (!Enabled) return true;
        var expected = System.Text.Encoding.ASCII.GetBytes(Sign(frames));
        var given = System.Text.Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
