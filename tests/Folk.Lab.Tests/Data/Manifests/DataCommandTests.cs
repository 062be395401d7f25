using Folk.Lab.Tests.Cli;

namespace Folk.Lab.Tests.Data.Manifests;

public sealed class DataCommandTests : IDisposable
{
    readonly FakeDataset _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public void AnIntactDataSetExitsZeroWithProgressOnStderr()
    {
        var r = CliRunner.Run("data", "verify", _data.ManifestPath, "--root", _data.Root);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("data verify toy at ", r.Out);
        Assert.Contains("8 files examined, 4 images decoded", r.Out);
        Assert.EndsWith("verdict: verified", r.Out.TrimEnd());
        Assert.Matches(@"100\.0%\s+8/8 files, \d+ files/s", r.Error);
    }

    [Fact]
    public void MissingExtraAndCorruptFilesAreListedAndExitOne()
    {
        File.Delete(_data.P("train/dog/dog_2.png"));
        File.WriteAllText(_data.P("meta/stray.txt"), "x");
        File.WriteAllBytes(_data.P("train/cat/cat_1.png"), "not a png"u8.ToArray());
        var r = CliRunner.Run("data", "verify", _data.ManifestPath, "--root", _data.Root, "--threads", "1");
        Assert.Equal(1, r.ExitCode);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("wrong count") && l.Contains("train: 3 images, expected 4"));
        Assert.Contains(lines, l => l.Contains("undecodable") && l.Contains("train/cat/cat_1.png: not a decodable image"));
        Assert.Contains(lines, l => l.Contains("extra") && l.Contains("meta/stray.txt: not listed in the manifest"));
        Assert.Equal("verdict: 3 problems found", lines[^1]);
    }

    [Fact]
    public void AMalformedManifestIsOneLineNamingFileAndFieldAndExitsTwo()
    {
        File.WriteAllText(_data.ManifestPath, File.ReadAllText(_data.ManifestPath).Replace("\"bytes\": 3000", "\"bytes\": \"3000\""));
        var r = CliRunner.Run("data", "verify", _data.ManifestPath, "--root", _data.Root);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"folk-lab data verify: {Path.GetFullPath(_data.ManifestPath)}: field 'splits[1].files[0].bytes' must be an integer >= 0 or null; got \"3000\".", r.Error.TrimEnd());
        Assert.Empty(r.Out);
    }

    [Fact]
    public void MissingManifestOrRootExitsTwo()
    {
        var r = CliRunner.Run("data", "verify", _data.P("none.json"), "--root", _data.Root);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("does not exist", r.Error);
        r = CliRunner.Run("data", "verify", _data.ManifestPath, "--root", _data.P("nowhere"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--root", r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        r = CliRunner.Run("data", "verify", _data.ManifestPath);                                 // no --root, no default_root
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("folk-lab data verify: --root is needed: the manifest of toy gives no default_root.", r.Error.TrimEnd());
    }

    [Fact]
    public void WithoutRootTheManifestsDefaultRootIsVerified()
    {
        var json = File.ReadAllText(_data.ManifestPath);
        File.WriteAllText(_data.ManifestPath, json.Replace("\"classes\": 2,", $"\"classes\": 2, \"default_root\": \"{_data.Root}\","));
        var r = CliRunner.Run("data", "verify", _data.ManifestPath);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"data verify toy at {_data.Root}:", r.Out);

        File.WriteAllText(_data.ManifestPath, json.Replace("\"classes\": 2,", $"\"classes\": 2, \"default_root\": \"{_data.P("absent")}\","));
        r = CliRunner.Run("data", "verify", _data.ManifestPath);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"folk-lab data verify: --root not given, and toy's default_root {_data.P("absent")} does not exist; pass --root (the manifest's notes say how to get the data).",
            r.Error.TrimEnd());
    }
}
