using System.Globalization;
using System.Text.RegularExpressions;
using Folk.Lab.Corruptions.Common;
using Folk.Lab.IO;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Cli;

public sealed class CorruptCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-corrupt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string P(string name) => Path.Combine(_dir, name);

    string Save(string name, Tensor t)
    {
        Npy.Write(P(name), t);
        return P(name);
    }

    [Theory]
    [InlineData("gaussian_noise", 2, 7)]
    [InlineData("contrast", 5, 0)]
    [InlineData("elastic_transform", 1, 3)]
    public void CorruptWritesWhatTheLibraryComputesForTheSeed(string kind, int severity, long seed)
    {
        using var x = TestImages.Natural(2, 32, seed: 3);
        var images = Save("x.npy", x);
        var r = CliRunner.Run("corrupt", "--kind", kind, "--severity", $"{severity}", "--images", images, "--out", P("y.npy"), "--seed", $"{seed}");
        Assert.True(r.ExitCode == 0, r.Error);
        using var y = Npy.Read(P("y.npy"));
        using var g = new Generator((ulong)seed);
        using var expected = CommonCorruptions.Apply(CommonCorruptions.Parse(kind), x, severity, g);
        // the same draws; float32 rounding allows for a thread count changed by a benchmark test running alongside
        TensorAssert.CloseRelativeToMax(expected, y, 1e-6, kind);
        Assert.Contains($"{kind} at severity {severity}, CIFAR-10-C constants (32²), seed {seed}", r.Out);
        Assert.Equal(new[] { "x.npy", "y.npy" }, Directory.GetFiles(_dir).Select(Path.GetFileName).Order());   // no temporary left
    }

    [Fact]
    public void BadImagesGetOneLineNamingTheFileTheFieldAndTheFix()
    {
        (string File, string Message)[] cases =
        [
            (Save("rank.npy", rand(3, 32, 32)), "rank: expected 4 dimensions (B×3×H×W), got 3 [3, 32, 32]; add the batch axis"),
            (Save("hwc.npy", rand(2, 32, 32, 3)), "shape: expected 3 channels on axis 1 (B×3×H×W), got [2, 32, 32, 3]; the array looks like B×H×W×3"),
            (Save("grey.npy", rand(2, 1, 32, 32)), "repeat a grey channel"),
            (Save("f64.npy", rand(new long[] { 1, 3, 32, 32 }, dtype: ScalarType.Float64)), "dtype: expected float32, got Float64; convert with x.astype(numpy.float32)"),
            (Save("u8.npy", zeros(new long[] { 1, 3, 32, 32 }, dtype: ScalarType.Byte)), "got Byte; convert 8-bit pixels with (x / 255).astype(numpy.float32)"),
            (Save("side.npy", rand(1, 3, 64, 64)), "side: got 64×64; ImageNet-C's constants are for 224×224"),
            (Save("range.npy", rand(1, 3, 32, 32) * 255), "range: expected pixels in [0,1], found values in"),
        ];
        foreach (var (file, message) in cases)
        {
            var r = CliRunner.Run("corrupt", "--kind", "contrast", "--severity", "3", "--images", file, "--out", P("y.npy"));
            Assert.Equal(2, r.ExitCode);
            Assert.Contains($"folk-lab corrupt: --images {file}: ", r.Error);
            Assert.Contains(message, r.Error);
            Assert.Single(r.Error.Trim().Split('\n'));
            Assert.False(File.Exists(P("y.npy")));
        }
    }

    [Theory]
    [InlineData("--kind speckle_noise --severity 3", "--kind 'speckle_noise' is not allowed; use one of: gaussian_noise, shot_noise")]
    [InlineData("--kind fog --severity 6", "--severity 6 is out of range; it must be between 1 and 5")]
    [InlineData("--kind fog --severity 0", "--severity 0 is out of range; it must be between 1 and 5")]
    public void BadArgumentsGiveOneLineAndExitCode2(string args, string message)
    {
        using var x = rand(1, 3, 32, 32);
        var images = Save("x.npy", x);
        var r = CliRunner.Run(["corrupt", .. args.Split(' '), "--images", images, "--out", P("y.npy")]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Error);
    }

    [Fact]
    public void BenchCorruptionsListsEveryCorruptionAndTimesTheImplementedOnes()
    {
        var r = CliRunner.Run("bench", "corruptions", "--size", "32", "--images", "2", "--repeats", "1", "--no-reference");
        Assert.True(r.ExitCode == 0, r.Error);
        foreach (var c in CommonCorruptions.All)
        {
            var line = r.Out.Split('\n').Single(l => l.TrimStart().StartsWith(c.Name() + " ", StringComparison.Ordinal));
            if (CommonCorruptions.IsImplemented(c)) Assert.Matches(@"\d+\.\d", line);
            else Assert.Contains("not implemented", line);
        }
    }

    [ImageNetCReferenceFact]
    public void BenchCorruptionsComparesWithImageNetCsCodeInTheSameRun()
    {
        var r = CliRunner.Run("bench", "corruptions", "--size", "32", "--images", "2", "--repeats", "1");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Matches(@"reference libraries: numpy \S+, opencv \S+, scipy \S+, skimage \S+, PIL \S+", r.Out);
        foreach (var c in new[] { CommonCorruption.GaussianNoise, CommonCorruption.ShotNoise, CommonCorruption.ImpulseNoise, CommonCorruption.Contrast,
                                  CommonCorruption.ElasticTransform, CommonCorruption.Pixelate, CommonCorruption.JpegCompression })
        {
            var line = r.Out.Split('\n').Single(l => l.TrimStart().StartsWith(c.Name() + " ", StringComparison.Ordinal));
            var m = Regex.Match(line, @"(\d+\.\d)\s+(\d+\.\d)\s+(\d+\.\d\d)×");
            Assert.True(m.Success, line);
            double ours = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), theirs = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            // the ratio is computed from the unrounded rates; the printed rates carry one decimal, the ratio two
            double ratio = double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
            Assert.InRange(ratio, ours / theirs * 0.95 - 0.006, ours / theirs * 1.05 + 0.006);
        }
    }
}
