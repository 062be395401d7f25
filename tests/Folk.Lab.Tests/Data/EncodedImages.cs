using System.Runtime.InteropServices;
using SkiaSharp;

namespace Folk.Lab.Tests.Data;

/// <summary>Small images with known pixels, encoded by SkiaSharp in the tests, and the pixels they hold.</summary>
public static class EncodedImages
{
    /// <summary>An H×W×3 pattern that differs along rows, columns and channels (no symmetry to hide a transpose or flip).</summary>
    public static byte[] Pattern(int height, int width, int seed = 0)
    {
        var rgb = new byte[height * width * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 3;
                rgb[i] = (byte)((7 * y + 3 * x + seed) % 256);
                rgb[i + 1] = (byte)((200 - 11 * x + y + seed) & 255);
                rgb[i + 2] = (byte)((13 * x * y + 5 + seed) % 256);
            }
        return rgb;
    }

    /// <summary>A smooth H×W×3 gradient, which lossy codecs keep within a few levels.</summary>
    public static byte[] Smooth(int height, int width)
    {
        var rgb = new byte[height * width * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 3;
                rgb[i] = (byte)(40 + 160 * x / (width - 1));
                rgb[i + 1] = (byte)(40 + 160 * y / (height - 1));
                rgb[i + 2] = (byte)(120 + 60 * Math.Sin((x + y) / 9.0));
            }
        return rgb;
    }

    /// <summary>The expected 3×H×W float32 tensor of H×W×3 bytes: value / 255.</summary>
    public static TorchSharp.torch.Tensor ToTensor(byte[] hwc, int height, int width, int channels = 3)
    {
        using var t = TorchSharp.torch.tensor(hwc, new long[] { height, width, channels });
        using var f = t.to(TorchSharp.torch.ScalarType.Float32);
        using var chw = f.permute(2, 0, 1);
        return (chw / 255f).contiguous();
    }

    public static byte[] Png(byte[] rgb, int height, int width) => Encode(Rgba(rgb, null), height, width, p => p.Encode(SKPngEncoderOptions.Default));

    /// <summary>PNG with an alpha channel (values 1…255, never 0, so colours stay defined).</summary>
    public static byte[] PngWithAlpha(byte[] rgb, int height, int width) =>
        Encode(Rgba(rgb, i => (byte)(1 + i * 37 % 255)), height, width, p => p.Encode(SKPngEncoderOptions.Default));

    public static byte[] Jpeg(byte[] rgb, int height, int width, int quality = 95) =>
        Encode(Rgba(rgb, null), height, width, p => p.Encode(new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample444, SKJpegEncoderAlphaOption.Ignore)));

    public static byte[] Webp(byte[] rgb, int height, int width, bool lossless) =>
        Encode(Rgba(rgb, null), height, width, p => p.Encode(new SKWebpEncoderOptions(lossless ? SKWebpEncoderCompression.Lossless : SKWebpEncoderCompression.Lossy, lossless ? 100 : 90)));

    /// <summary>A single-channel (grayscale) PNG.</summary>
    public static byte[] GrayPng(byte[] gray, int height, int width)
    {
        var info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        return EncodePixels(info, gray, p => p.Encode(SKPngEncoderOptions.Default));
    }

    static byte[] Rgba(byte[] rgb, Func<int, byte>? alpha)
    {
        var rgba = new byte[rgb.Length / 3 * 4];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgba[j] = rgb[i]; rgba[j + 1] = rgb[i + 1]; rgba[j + 2] = rgb[i + 2];
            rgba[j + 3] = alpha?.Invoke(i / 3) ?? 255;
        }
        return rgba;
    }

    static byte[] Encode(byte[] rgba, int height, int width, Func<SKPixmap, SKData?> encode) =>
        EncodePixels(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), rgba, encode);

    static byte[] EncodePixels(SKImageInfo info, byte[] pixels, Func<SKPixmap, SKData?> encode)
    {
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using var data = encode(pixmap) ?? throw new InvalidOperationException("SkiaSharp could not encode the test image.");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }
}
