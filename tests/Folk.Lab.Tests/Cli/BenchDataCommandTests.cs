using System.Globalization;
using System.Text.RegularExpressions;
using Folk.Lab.Tests.Data.Transforms;

namespace Folk.Lab.Tests.Cli;

public sealed class BenchDataCommandTests
{
    static double Rate(string output, string label)
    {
        var line = output.Split('\n').Single(l => l.Contains(label, StringComparison.Ordinal));
        return double.Parse(Regex.Match(line[(line.IndexOf(label, StringComparison.Ordinal) + label.Length)..], @"\d+\.\d").Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void BenchDataTimesBothPathsOfTheLoaderOnGeneratedJpegs()
    {
        var r = CliRunner.Run("bench", "data", "--images", "16", "--batch", "8", "--repeats", "1", "--size", "64", "--threads", "2", "--no-reference");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("16 JPEG(s) in 10 class folder(s)", r.Out);
        Assert.Contains("RandomResizedCrop(64, scale (0.2, 1), bicubic)", r.Out);      // MFM's MIN_CROP_SCALE from the config
        Assert.True(Rate(r.Out, "Folk.Lab, 8-bit path (default)") > 0);
        Assert.True(Rate(r.Out, "Folk.Lab, float path (Resampling.Float)") > 0);
        Assert.DoesNotContain("torchvision", r.Out.Split('\n').Last(l => l.Length > 0));
    }

    [TorchvisionFact]
    public void BenchDataComparesWithTorchvisionAndPilInTheSameRun()
    {
        var r = CliRunner.Run("bench", "data", "--images", "16", "--batch", "8", "--repeats", "1", "--size", "64", "--threads", "2");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"torchvision \S+ \+ PIL \S+ \(2 worker processes\)\s+\d+\.\d", r.Out);
        Assert.Matches(@"Folk\.Lab, 8-bit path \(default\)\s+\d+\.\d\s+\d+\.\d\d×\s+\d+\.\d\d\s+\d+\.\d\d×", r.Out);   // img/s, ratio, CPU ms/img, ratio
        Assert.Matches(@"target: the default path ≥ 1\.5× torchvision \+ PIL in img/s: (met|missed) \(\d+\.\d\d×\)", r.Out);
    }
}
