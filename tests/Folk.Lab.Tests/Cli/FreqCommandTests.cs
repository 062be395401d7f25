using Folk.Lab.Frequency;
using Folk.Lab.IO;
using Folk.Lab.Losses;
using Folk.Lab.Masks;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Cli;

public sealed class FreqCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string P(string name) => Path.Combine(_dir, name);

    string Save(string name, Tensor t)
    {
        Npy.Write(P(name), t);
        return P(name);
    }

    [Fact]
    public void MaskWritesMfmsLowPassMask()
    {
        var r = CliRunner.Run("freq", "mask", "--kind", "lowpass", "--size", "224", "--r1", "16", "--out", P("m.npy"));
        Assert.Equal(0, r.ExitCode);
        using var m = Npy.Read(P("m.npy"));
        Assert.Equal(new long[] { 224, 224 }, m.shape);
        Assert.Equal(793f, m.sum().item<float>());
        Assert.Contains("793 frequencies kept", r.Out);

        Assert.Equal(0, CliRunner.Run("freq", "mask", "--kind", "band", "--size", "224", "--r1", "16", "--r2", "32", "--out", P("b.npy")).ExitCode);
        using var band = Npy.Read(P("b.npy"));
        Assert.Equal(3205f - 793f, band.sum().item<float>());
    }

    [Fact]
    public void FilterLossSpectrumAndAdaptiveMatchTheLibrary()
    {
        using var x = TestImages.Natural(2, 32);
        using var m = RadialMask.LowPassBranch(32, 4);
        var images = Save("x.npy", x);
        var mask = Save("m.npy", m);

        Assert.Equal(0, CliRunner.Run("freq", "filter", "--images", images, "--mask", mask, "--out", P("y.npy")).ExitCode);
        using (var y = Npy.Read(P("y.npy"))) TensorAssert.Equal(FrequencyFilter.Apply(x, m), y, "filtered");

        using var target = TestImages.Natural(2, 32, seed: 9);
        var t = Save("t.npy", target);
        var r = CliRunner.Run("freq", "loss", "--pred", images, "--target", t, "--mask", mask, "--gamma", "2", "--out", P("l.npy"));
        Assert.Equal(0, r.ExitCode);
        using (var loss = Npy.Read(P("l.npy")))
            Assert.Equal(FrequencyLoss.Masked(x, target, m, new FrequencyLossOptions { Gamma = 2 }).item<float>(), loss.item<float>());
        Assert.Equal(0, CliRunner.Run("freq", "loss", "--pred", images, "--target", t, "--focal", "batch", "--out", P("l2.npy")).ExitCode);
        using (var loss = Npy.Read(P("l2.npy")))
            Assert.Equal(FrequencyLoss.Mean(x, target, new FrequencyLossOptions { Focal = FocalWeighting.PerBatch }).item<float>(), loss.item<float>());
        Assert.Equal(0, CliRunner.Run("freq", "loss", "--pred", images, "--target", t, "--map", "--patch-factor", "2", "--out", P("map.npy")).ExitCode);
        using (var map = Npy.Read(P("map.npy"))) Assert.Equal(new long[] { 2, 4, 3, 16, 16 }, map.shape);

        r = CliRunner.Run("freq", "spectrum", "--images", images, "--out", P("s.npy"), "--radial", P("r.npy"));
        Assert.Equal(0, r.ExitCode);
        using (var s = Npy.Read(P("s.npy"))) TensorAssert.Equal(Spectrum.LogMagnitude(Spectrum.Centered(x)), s, "log magnitude");
        using (var radial = Npy.Read(P("r.npy"))) Assert.Equal(new long[] { 2, 16 }, radial.shape);
        Assert.Contains("power-law slope", r.Out);

        Assert.Equal(0, CliRunner.Run("freq", "adaptive", "--images", images, "--kind", "rcom", "--keep", "0.05", "--out", P("a.npy")).ExitCode);
        using (var a = Npy.Read(P("a.npy"))) TensorAssert.Equal(1 - ComMask.Compute(x, new[] { 0.05, 0.05 }), a, "RCom");
    }

    [Theory]
    [InlineData("--kind foo", "--kind 'foo' is not allowed; use one of: lowpass, highpass, band")]
    [InlineData("--kind lowpass --r1 -1", "--r1 -1 is out of range; it must be > 0")]
    [InlineData("--kind lowpass --size x", "'x'")]
    [InlineData("--kind band", "--kind band needs --r2")]
    [InlineData("--kind lowpass --r1 16 --r2 8", "--r2 8 must be > --r1 16")]
    public void BadMaskArgumentsGiveOneLineAndExitCode2(string args, string message)
    {
        var r = CliRunner.Run(["freq", "mask", .. args.Split(' '), "--out", P("m.npy")]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("folk-lab freq mask: ", r.Error);
        Assert.False(File.Exists(P("m.npy")));
    }

    [Fact]
    public void BadInputFilesGiveOneLineNamingTheFile()
    {
        using var normalised = TestImages.Normal(new long[] { 1, 3, 8, 8 });
        var images = Save("n.npy", normalised);
        var mask = Save("m.npy", ones(8, 8));
        var r = CliRunner.Run("freq", "filter", "--images", images, "--mask", mask, "--out", P("y.npy"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"--images {images}: images must be un-normalised pixels in [0,1]", r.Error);

        r = CliRunner.Run("freq", "filter", "--images", P("missing.npy"), "--mask", mask, "--out", P("y.npy"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--images", r.Error);
        Assert.Contains("does not exist", r.Error);

        File.WriteAllText(P("junk.npy"), "junk");
        r = CliRunner.Run("freq", "spectrum", "--images", P("junk.npy"), "--out", P("s.npy"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("junk.npy: not a .npy file", r.Error);

        var wrongMask = Save("w.npy", ones(7, 8));
        r = CliRunner.Run("freq", "filter", "--images", Save("u.npy", TestImages.Uniform(new long[] { 1, 3, 8, 8 })), "--mask", wrongMask, "--out", P("y.npy"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("mask must end in H×W = 8×8", r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.False(File.Exists(P("y.npy")));
    }
}
