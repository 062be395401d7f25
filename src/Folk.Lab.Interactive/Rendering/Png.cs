using SkiaSharp;

namespace Folk.Lab.Interactive.Rendering;

/// <summary>PNG encoding and decoding of <see cref="RgbImage"/>s (SkiaSharp, lossless).</summary>
public static class Png
{
    /// <summary>
    /// zlib level of <see cref="Encode"/>: 3 costs about a third of the default 6's time on photographs and noise, for
    /// files a few percent larger — the right trade for notebook outputs that are drawn once and rarely kept.
    /// </summary>
    public const int CompressionLevel = 3;

    /// <summary>The PNG bytes of an image.</summary>
    public static byte[] Encode(RgbImage image)
    {
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        var rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; i < image.Pixels.Length; i += 3, j += 4)
        {
            rgba[j] = image.Pixels[i]; rgba[j + 1] = image.Pixels[i + 1]; rgba[j + 2] = image.Pixels[i + 2]; rgba[j + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, CompressionLevel))
            ?? throw new InvalidOperationException($"SkiaSharp could not encode a {image.Width}×{image.Height} PNG.");
        return data.ToArray();
    }

    /// <summary>Decodes PNG bytes (any colour type) into RGB; throws <see cref="InvalidDataException"/> for other bytes.</summary>
    public static RgbImage Decode(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png) ?? throw new InvalidDataException("Not a decodable PNG image.");
        using var rgba = bitmap.Copy(SKColorType.Rgba8888);
        var bytes = rgba.Bytes;
        var rgb = new byte[rgba.Width * rgba.Height * 3];
        for (int i = 0, j = 0; j < bytes.Length; i += 3, j += 4)
        {
            rgb[i] = bytes[j]; rgb[i + 1] = bytes[j + 1]; rgb[i + 2] = bytes[j + 2];
        }
        return new RgbImage(rgba.Width, rgba.Height, rgb);
    }
}
