using Folk.Lab.Interactive.Rendering;
using Folk.Lab.IO;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Cli;

public sealed class DemoAndBenchCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void DemoWritesAndListsSpectraMasksAndCorruptedImages()
    {
        var r = CliRunner.Run("demo", "--out", _dir, "--count", "3", "--size", "48");
        Assert.Equal(0, r.ExitCode);
        foreach (var name in new[] { "images.png", "spectra.png", "corruptions.png", "masks.png", "images.npy", "spectra.npy", "masks.npz", "filtered.npz", "radial-profile.csv", "summary.json" })
        {
            Assert.True(File.Exists(Path.Combine(_dir, name)), name);
            Assert.Contains(name, r.Out);
        }
        var png = Png.Decode(File.ReadAllBytes(Path.Combine(_dir, "corruptions.png")));
        Assert.Equal(6 * 48 + 7 * 2, png.Width);                  // six columns of 48 px with 2 px gaps
        using var images = Npy.Read(Path.Combine(_dir, "images.npy"));
        Assert.Equal(new long[] { 3, 3, 48, 48 }, images.shape);
        var masks = Npz.Read(Path.Combine(_dir, "masks.npz"));
        Assert.Equal(new[] { "folk-com", "folk-rcom", "mfm-highpass", "mfm-lowpass" }, masks.Keys.Order());
        Assert.Contains("radial power spectrum ∝ f^-", r.Out);
    }

    [Fact]
    public void BenchFreqReportsThroughput()
    {
        var r = CliRunner.Run("bench", "freq", "--batch", "2", "--size", "32", "--repeats", "2", "--warmup", "0", "--threads", "1", "--no-reference");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Folk.Lab (libtorch via TorchSharp)", r.Out);
        Assert.Contains("img/s", r.Out);
    }

    [PyTorchFact]
    public void BenchFreqComparesWithPyTorchInTheSameRun()
    {
        var r = CliRunner.Run("bench", "freq", "--batch", "2", "--size", "32", "--repeats", "2", "--warmup", "0", "--threads", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("(reference formulas)", r.Out);
        Assert.Matches(@"ratio Folk\.Lab / reference\s+\d+\.\d\d×\s+\d+\.\d\d×", r.Out);
    }
}
