using System.Security.Cryptography;
using System.Text;
using Folk.Lab.Kernel.Protocol;

namespace Folk.Lab.Kernel.Tests.Protocol;

public class MessageSignerTests
{
    static readonly byte[][] Frames = ["{\"msg_id\":\"1\"}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray(), "{\"code\":\"1+1\"}"u8.ToArray()];

    [Fact]
    public void SignatureIsTheHexHmacSha256OfTheFourFramesConcatenated()
    {
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("secret"), Frames.SelectMany(f => f).ToArray()));
        Assert.Equal(expected, new MessageSigner("secret").Sign(Frames));
    }

    [Fact]
    public void VerifyAcceptsTheRightSignatureInEitherCaseAndRejectsOthers()
    {
        var signer = new MessageSigner("secret");
        var signature = signer.Sign(Frames);
        Assert.True(signer.Verify(signature, Frames));
        Assert.True(signer.Verify(signature.ToUpperInvariant(), Frames));
        Assert.False(signer.Verify("", Frames));
        Assert.False(signer.Verify(new MessageSigner("other").Sign(Frames), Frames));
        var tampered = Frames.Select(f => f.ToArray()).ToArray();
        tampered[3] = "{\"code\":\"2+2\"}"u8.ToArray();
        Assert.False(signer.Verify(signature, tampered));
    }

    [Fact]
    public void AnEmptyKeyDisablesSigning()
    {
        var signer = new MessageSigner("");
        Assert.False(signer.Enabled);
        Assert.Equal("", signer.Sign(Frames));
        Assert.True(signer.Verify("", Frames));
    }
}
