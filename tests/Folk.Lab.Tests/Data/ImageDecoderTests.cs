using Folk.Lab.Data;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Data;

public sealed class ImageDecoderTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-decode-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void PngDecodesToTheExactPixelsInChannelRowColumnOrder()
    {
        const int h = 5, w = 7;                                   // not square: a transposed decode cannot pass
        var rgb = EncodedImages.Pattern(h, w);
        using var image = ImageDecoder.DecodeFile(Write("p.png", EncodedImages.Png(rgb, h, w)));
        Assert.Equal(new long[] { 3, h, w }, image.shape);
        Assert.Equal(torch.ScalarType.Float32, image.dtype);
        using var expected = EncodedImages.ToTensor(rgb, h, w);
        TensorAssert.Equal(expected, image, "PNG pixels");
        Assert.Equal(rgb[(2 * w + 3) * 3 + 1] / 255f, image[1, 2, 3].item<float>());   // green at row 2, column 3
    }

    [Fact]
    public void AlphaIsDroppedAndGrayIsRepeatedToThreeChannels()
    {
        const int h = 4, w = 6;
        var rgb = EncodedImages.Pattern(h, w, seed: 9);
        using var withAlpha = ImageDecoder.Decode(EncodedImages.PngWithAlpha(rgb, h, w), "alpha.png");
        using var expected = EncodedImages.ToTensor(rgb, h, w);
        TensorAssert.Equal(expected, withAlpha, "RGB of an RGBA PNG (unpremultiplied colours kept)");

        var gray = Enumerable.Range(0, h * w).Select(i => (byte)(i * 10)).ToArray();
        using var decoded = ImageDecoder.Decode(EncodedImages.GrayPng(gray, h, w), "gray.png");
        using var g = EncodedImages.ToTensor(gray, h, w, channels: 1);
        using var g3 = g.expand(3, h, w);
        TensorAssert.Equal(g3, decoded, "grayscale PNG repeated to RGB");
    }

    [Fact]
    public void LosslessWebpIsExactAndLossyFormatsStayClose()
    {
        const int h = 32, w = 48;
        var pattern = EncodedImages.Pattern(h, w);
        using (var webp = ImageDecoder.Decode(EncodedImages.Webp(pattern, h, w, lossless: true), "l.webp"))
        using (var expected = EncodedImages.ToTensor(pattern, h, w))
            TensorAssert.Equal(expected, webp, "lossless WebP");

        // Lossy codecs on a smooth image: JPEG q95 4:4:4 is within a few levels per pixel; lossy WebP (4:2:0 chroma,
        // q90) within about ten. Means are tighter still. A channel or axis mix-up would be off by ~0.3.
        var smooth = EncodedImages.Smooth(h, w);
        using var reference = EncodedImages.ToTensor(smooth, h, w);
        foreach (var (name, bytes, maxError, meanError) in new[]
                 {
                     ("jpeg", EncodedImages.Jpeg(smooth, h, w), 8 / 255.0, 2 / 255.0),
                     ("webp", EncodedImages.Webp(smooth, h, w, lossless: false), 16 / 255.0, 4 / 255.0),
                 })
        {
            using var decoded = ImageDecoder.Decode(bytes, name);
            Assert.Equal(new long[] { 3, h, w }, decoded.shape);
            using var error = (decoded - reference).abs();
            Assert.True(error.max().item<float>() <= maxError, $"{name}: max error {error.max().item<float>() * 255:F1} levels");
            Assert.True(error.mean().item<float>() <= meanError, $"{name}: mean error {error.mean().item<float>() * 255:F2} levels");
        }
    }

    [Fact]
    public void CorruptTruncatedAndForeignDataThrowNamingTheFile()
    {
        var png = EncodedImages.Png(EncodedImages.Pattern(40, 40), 40, 40);
        var jpeg = EncodedImages.Jpeg(EncodedImages.Smooth(40, 40), 40, 40);
        var corruptPng = (byte[])png.Clone();
        for (int i = png.Length / 2; i < png.Length / 2 + 16; i++) corruptPng[i] ^= 0x5A;   // inside the compressed pixels

        var cases = new (string Name, byte[] Bytes, string Reason)[]
        {
            ("half.png", png[..(png.Length / 2)], "truncated"),
            ("half.jpg", jpeg[..(jpeg.Length / 2)], "truncated"),
            ("bitflip.png", corruptPng, "Png"),
            ("text.jpg", "this is not an image"u8.ToArray(), "not a decodable image"),
            ("empty.png", Array.Empty<byte>(), "empty"),
            ("tiny.bmp", Bmp2x2(), "Bmp images are not supported"),
        };
        foreach (var (name, bytes, reason) in cases)
        {
            var path = Write(name, bytes);
            var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeFile(path));
            Assert.Equal(path, e.SourceName);
            Assert.StartsWith(path + ": ", e.Message);
            Assert.Contains(reason, e.Message);
        }
        var missing = Path.Combine(_dir, "absent.png");
        Assert.Contains(missing, Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeFile(missing)).Message);
    }

    [Fact]
    public void CheckReportsTheSizeWithoutMakingATensor()
    {
        var png = EncodedImages.Png(EncodedImages.Pattern(3, 9), 3, 9);
        Assert.Equal((3, 9), ImageDecoder.Check(png, "p.png"));
        Assert.Throws<ImageDecodeException>(() => ImageDecoder.Check(png[..20], "p.png"));
    }

    /// <summary>A valid 2×2 24-bit BMP: a format SkiaSharp reads but Folk.Lab does not accept.</summary>
    static byte[] Bmp2x2()
    {
        var b = new byte[54 + 16];
        "BM"u8.CopyTo(b);
        BitConverter.GetBytes(b.Length).CopyTo(b, 2);
        BitConverter.GetBytes(54).CopyTo(b, 10);
        BitConverter.GetBytes(40).CopyTo(b, 14);
        BitConverter.GetBytes(2).CopyTo(b, 18);
        BitConverter.GetBytes(2).CopyTo(b, 22);
        BitConverter.GetBytes((short)1).CopyTo(b, 26);
        BitConverter.GetBytes((short)24).CopyTo(b, 28);
        BitConverter.GetBytes(16).CopyTo(b, 34);
        return b;
    }
}
