using System.Text;
using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Protocol;

namespace Folk.Lab.Kernel.Tests.Protocol;

public class WireTests
{
    static readonly MessageSigner Signer = new("key");

    static Message Request() => new()
    {
        Identities = ["client-1"u8.ToArray()],
        Header = Message.NewHeader("execute_request", "s1"),
        Content = new JsonObject { ["code"] = "1 + 1", ["silent"] = false },
        Buffers = [[1, 2, 3]],
    };

    [Fact]
    public void FramesAreIdentitiesDelimiterSignatureFourJsonPartsAndBuffers()
    {
        var frames = Wire.Encode(Request(), Signer);
        Assert.Equal(1 + 1 + 1 + 4 + 1, frames.Count);
        Assert.Equal("client-1", Encoding.UTF8.GetString(frames[0]));
        Assert.Equal("<IDS|MSG>", Encoding.UTF8.GetString(frames[1]));
        Assert.Equal(Signer.Sign(frames.Skip(3).Take(4).ToList()), Encoding.ASCII.GetString(frames[2]));
        Assert.Equal("execute_request", JsonNode.Parse(frames[3])!["msg_type"]!.GetValue<string>());
        Assert.Equal([1, 2, 3], frames[7]);
    }

    [Fact]
    public void DecodeRoundTripsAndKeepsIdentitiesForTheReply()
    {
        var request = Request();
        var decoded = Wire.Decode(Wire.Encode(request, Signer), Signer);
        Assert.Equal("execute_request", decoded.Type);
        Assert.Equal(request.Id, decoded.Id);
        Assert.Equal("1 + 1", decoded.Content["code"]!.GetValue<string>());
        Assert.Single(decoded.Buffers);
        var reply = decoded.Reply("execute_reply", new JsonObject { ["status"] = "ok" }, "kernel-session");
        Assert.Equal("client-1", Encoding.UTF8.GetString(reply.Identities[0]));
        Assert.Equal(request.Id, reply.ParentHeader["msg_id"]!.GetValue<string>());
        Assert.Equal("5.3", reply.Header["version"]!.GetValue<string>());
    }

    [Fact]
    public void AForgedOrMissingSignatureIsRejectedBeforeParsing()
    {
        var frames = Wire.Encode(Request(), new MessageSigner("attacker"));
        Assert.Contains("wrong signature", Assert.Throws<WireException>(() => Wire.Decode(frames, Signer)).Message);
        frames[2] = [];
        Assert.Contains("missing signature", Assert.Throws<WireException>(() => Wire.Decode(frames, Signer)).Message);
    }

    [Fact]
    public void MalformedFramingIsRejected()
    {
        Assert.Contains("delimiter", Assert.Throws<WireException>(() => Wire.Decode([[1], [2]], Signer)).Message);
        var frames = Wire.Encode(Request(), Signer);
        Assert.Contains("frames after the delimiter", Assert.Throws<WireException>(() => Wire.Decode(frames.Take(5).ToList(), Signer)).Message);
    }
}
