using Folk.Lab.Interactive.Rendering;
using Microsoft.DotNet.Interactive.Formatting;

namespace Folk.Lab.Kernel.Display;

/// <summary>Formatters the kernel registers once per process: Folk.Lab.Interactive's raster images as image/png.</summary>
public static class BuiltInFormatters
{
    static int _registered;

    /// <summary>Registers the formatters (idempotent).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Formatter.Register<RgbImage>((image, writer) => writer.Write(Convert.ToBase64String(Png.Encode(image))), "image/png");
        Formatter.Register<RgbImage>((image, writer) => writer.Write($"RgbImage {image.Width}×{image.Height}"), PlainTextFormatter.MimeType);
    }
}
