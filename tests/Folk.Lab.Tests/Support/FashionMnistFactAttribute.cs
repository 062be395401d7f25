namespace Folk.Lab.Tests.Support;

/// <summary>
/// A test that reads the real Fashion-MNIST files of Debian's dataset-fashion-mnist package. Skipped, visibly and with
/// the install command, where they are missing, unless FOLK_LAB_REQUIRE_REFERENCES=1 (CI sets it): then it runs and
/// fails, never passes silently.
/// </summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    /// <summary>Where the package installs the four IDX files.</summary>
    public const string Folder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The four files, all of which a test may read.</summary>
    public static IReadOnlyList<string> Files { get; } =
        new[] { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" };

    public FashionMnistFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FOLK_LAB_REQUIRE_REFERENCES") != "1" && !Files.All(f => File.Exists(Path.Combine(Folder, f))))
            Skip = "Real Fashion-MNIST files: sudo apt-get install -y dataset-fashion-mnist";
    }
}
