using System.Runtime.InteropServices;
using Folk.Lab.Data;
using SkiaSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// Encodes every image as a baseline JPEG at one quality and decodes it again: ImageNet-C's <c>jpeg_compression</c>,
/// which saves a PIL image with <c>x.save(output, 'JPEG', quality=c)</c> and reads it back (hendrycks/robustness
/// <c>ImageNet-C/create_c/make_imagenet_c.py</c>).
/// </summary>
/// <remarks>
/// <para>The codec is SkiaSharp's (libjpeg-turbo 2.1.5.1 inside Skia), set as Pillow sets libjpeg: the IJG quality
/// scaling (<c>jpeg_set_quality</c>, tables clamped to baseline: Pillow's quality-7 tables top out at 255), 4:2:0 chroma
/// subsampling (Pillow's default for RGB; SkiaSharp's <c>Downsample420</c>), no ICC profile, and decoders with the
/// integer DCT and smooth ("fancy") chroma upsampling. Measured against Pillow 9.4 on Debian's libjpeg-turbo 2.1.5 at
/// the ten published qualities (25, 18, 15, 10, 7 at 224²; 80, 65, 58, 50, 40 at 32²), every decoded 8-bit value
/// agrees; the parity tests require that. What remains different is only the library, so another libjpeg build
/// (a different Pillow wheel, a future SkiaSharp) could round a few DCT coefficients differently.</para>
/// <para>JPEG stores 8-bit samples, so the images are quantised first: round(255·x), half to even, clamped to 0…255.
/// For images that came from 8-bit files this is exact. The result is the decoded 8-bit image divided by 255.</para>
/// </remarks>
public static class JpegRoundTrip
{
    /// <summary>Compresses and decompresses every image of a B×3×H×W float32 batch in [0,1] at
    /// <paramref name="quality"/> (1…100); returns a new B×3×H×W float32 tensor.</summary>
    public static Tensor Apply(Tensor images, int quality)
    {
        Guard.ImageBatch(images, nameof(images));
        if (images.shape[1] != 3) throw new ArgumentException($"JPEG compresses RGB images: expected B×3×H×W, got {Shape.Format(images)}.", nameof(images));
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), quality, "JPEG qualities run from 1 to 100.");
        long b = images.shape[0], h = images.shape[2], w = images.shape[3];
        using var scope = NewDisposeScope();
        var bytes = EightBit(images);                                                    // B×H×W×4 uint8, alpha 255
        var decoded = new Tensor[b];
        var options = new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore);
        var info = new SKImageInfo((int)w, (int)h, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (long i = 0; i < b; i++)
        {
            var rgba = bytes[i].bytes.ToArray();
            var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
            SKData encoded;
            try
            {
                using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
                encoded = pixmap.Encode(options)
                    ?? throw new InvalidOperationException($"SkiaSharp could not encode a {w}×{h} JPEG at quality {quality}.");
            }
            finally
            {
                handle.Free();
            }
            using (encoded) decoded[i] = ImageDecoder.DecodePixels(encoded.AsSpan(), $"JPEG round trip of image {i}");
        }
        return stack(decoded).narrow(3, 0, 3).permute(0, 3, 1, 2).to(ScalarType.Float32).div_(255f)
            .contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>round(255·x) as B×H×W×4 RGBA bytes with an opaque alpha channel.</summary>
    static Tensor EightBit(Tensor images)
    {
        var levels = (images * 255f).round_().clamp_(0, 255).to(ScalarType.Byte).permute(0, 2, 3, 1);
        var alpha = full(new[] { images.shape[0], images.shape[2], images.shape[3], 1 }, 255, dtype: ScalarType.Byte);
        return cat(new[] { levels, alpha }, 3).contiguous();
    }
}
