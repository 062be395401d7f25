using System.Runtime.InteropServices;
using SkiaSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Data;

/// <summary>
/// Decodes JPEG, PNG and WebP files into 3×H×W float32 tensors in [0,1] on the CPU, as torchvision's
/// <c>ImageFolder</c> loader does with PIL (<c>Image.open(f).convert("RGB")</c> then <c>ToTensor()</c>).
/// </summary>
/// <remarks>
/// <para>The format is recognised from the bytes, not from the file name. Grayscale images are repeated to three
/// channels, an alpha channel is dropped (the stored, unpremultiplied colours are kept, as PIL's RGBA → RGB does),
/// 16-bit PNGs are reduced to 8 bits, CMYK JPEGs are converted to RGB.</para>
/// <para>As with PIL, no colour management is applied (embedded ICC profiles are ignored) and the EXIF orientation
/// is not applied: the pixels come out as stored.</para>
/// <para>Unreadable, corrupt, truncated or unsupported data throws <see cref="ImageDecodeException"/> naming the file;
/// a truncated file is an error, as it is for PIL unless <c>LOAD_TRUNCATED_IMAGES</c> is set. Thread-safe. SkiaSharp
/// is used here only to decode images, never to draw.</para>
/// </remarks>
public static class ImageDecoder
{
    /// <summary>The formats accepted, by the names SkiaSharp gives them.</summary>
    static readonly SKEncodedImageFormat[] Supported = { SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Png, SKEncodedImageFormat.Webp };

    /// <summary>The file extensions (lower case, with the dot) of the supported formats, for folder readers.</summary>
    public static IReadOnlyList<string> Extensions { get; } = new[] { ".jpg", ".jpeg", ".png", ".webp" };

    /// <summary>Reads and decodes an image file into a 3×H×W float32 tensor in [0,1].</summary>
    public static Tensor DecodeFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Decode(ReadAll(path), path);
    }

    /// <summary>
    /// Decodes the bytes of an image file into a 3×H×W float32 tensor in [0,1]; <paramref name="source"/> names it
    /// in error messages.
    /// </summary>
    public static Tensor Decode(ReadOnlySpan<byte> bytes, string source)
    {
        var (rgba, height, width) = DecodeRgba(bytes, source);
        using var scope = NewDisposeScope();
        var hwc = tensor(rgba, new long[] { height, width, 4 });
        return hwc.narrow(2, 0, 3).permute(2, 0, 1).to(ScalarType.Float32).div_(255f).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Decodes the bytes of an image file into its 8-bit pixels, an H×W×4 uint8 tensor (RGBA, unpremultiplied; alpha
    /// 255 for formats without one) over the decoder's own buffer, with no conversion or copy: the input of the 8-bit
    /// transform path (<see cref="Transforms.IEightBitTransform"/>). Throws <see cref="ImageDecodeException"/> as
    /// <see cref="Decode"/> does.
    /// </summary>
    public static Tensor DecodePixels(ReadOnlySpan<byte> bytes, string source)
    {
        var (rgba, height, width) = DecodeRgba(bytes, source);
        using var scope = NewDisposeScope();
        return frombuffer(rgba, ScalarType.Byte, rgba.Length, 0, false).view(height, width, 4).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Checks that the bytes decode completely, without making a tensor (for verifying data sets); returns the
    /// image's height and width. Throws <see cref="ImageDecodeException"/> as <see cref="Decode"/> does.
    /// </summary>
    public static (int Height, int Width) Check(ReadOnlySpan<byte> bytes, string source)
    {
        var (_, height, width) = DecodeRgba(bytes, source);
        return (height, width);
    }

    /// <summary>All bytes of a file, or an <see cref="ImageDecodeException"/> naming it.</summary>
    internal static byte[] ReadAll(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(path, $"cannot be read ({e.Message})", e);
        }
    }

    /// <summary>Decodes to interleaved RGBA bytes (H×W×4), unpremultiplied, without colour conversion.</summary>
    static (byte[] Rgba, int Height, int Width) DecodeRgba(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.IsEmpty) throw new ImageDecodeException(source, "the file is empty");
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new ImageDecodeException(source, $"not a decodable image (the first bytes {Signature(bytes)} are no JPEG, PNG or WebP header)");
        if (!Supported.Contains(codec.EncodedFormat))
            throw new ImageDecodeException(source, $"{codec.EncodedFormat} images are not supported (JPEG, PNG and WebP are)");

        int width = codec.Info.Width, height = codec.Info.Height;
        if (width <= 0 || height <= 0) throw new ImageDecodeException(source, $"invalid image size {width}×{height}");
        if ((long)width * height * 4 > Array.MaxLength)
            throw new ImageDecodeException(source, $"a {width}×{height} image is too large to decode into memory");
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[width * height * 4];
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        SKCodecResult result;
        try
        {
            result = codec.GetPixels(info, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }
        return result switch
        {
            SKCodecResult.Success => (rgba, height, width),
            SKCodecResult.IncompleteInput => throw new ImageDecodeException(source,
                $"truncated {codec.EncodedFormat} data ({bytes.Length} bytes end before the {width}×{height} image does)"),
            _ => throw new ImageDecodeException(source, $"corrupt {codec.EncodedFormat} data ({width}×{height}; the decoder reports {result})"),
        };
    }

    static string Signature(ReadOnlySpan<byte> bytes) =>
        string.Join(' ', bytes[..Math.Min(8, bytes.Length)].ToArray().Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
}
