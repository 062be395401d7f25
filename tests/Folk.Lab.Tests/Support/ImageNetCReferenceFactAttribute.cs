using System.Diagnostics;
using Folk.Lab.Diagnostics;

namespace Folk.Lab.Tests.Support;

/// <summary>
/// A test that compares a corruption with ImageNet-C's own code restated in reference/python/imagenet_c_*.py, which
/// needs the libraries that code is written with: scipy, scikit-image, OpenCV, Wand (ImageMagick) and Pillow. Skipped,
/// visibly and with the install command, where the reference Python lacks one, unless FOLK_LAB_REQUIRE_REFERENCES=1
/// (CI sets it): then it runs and fails, never passes silently.
/// </summary>
public sealed class ImageNetCReferenceFactAttribute : FactAttribute
{
    public ImageNetCReferenceFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FOLK_LAB_REQUIRE_REFERENCES") != "1" && !ImageNetCReference.Available)
            Skip = ImageNetCReference.InstallHint;
    }
}

/// <summary>The theory form of <see cref="ImageNetCReferenceFactAttribute"/>.</summary>
public sealed class ImageNetCReferenceTheoryAttribute : TheoryAttribute
{
    public ImageNetCReferenceTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable("FOLK_LAB_REQUIRE_REFERENCES") != "1" && !ImageNetCReference.Available)
            Skip = ImageNetCReference.InstallHint;
    }
}

/// <summary>Whether the reference Python imports every library ImageNet-C's code uses.</summary>
public static class ImageNetCReference
{
    public const string InstallHint = "ImageNet-C's reference libraries: sudo apt-get install -y python3-torch python3-scipy python3-skimage python3-opencv python3-wand python3-pil";

    static readonly Lazy<bool> Probe = new(() =>
    {
        if (ReferencePython.Find() is not { } python) return false;
        var start = new ProcessStartInfo(python.Executable, ["-c", "import scipy.ndimage, skimage.filters, cv2, wand.image, PIL.Image"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        return process.WaitForExit(60_000) && process.ExitCode == 0;
    });

    public static bool Available => Probe.Value;
}
