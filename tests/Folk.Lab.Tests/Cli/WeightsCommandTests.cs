using System.Text;
using System.Text.Json;
using Folk.Lab.IO;
using Folk.Lab.IO.Pth;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Cli;

public sealed class WeightsCommandTests : IDisposable
{
    readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    static Dictionary<string, Tensor> Sample() => new()
    {
        ["encoder.patch_embed.proj.weight"] = arange(24, dtype: ScalarType.Float32).reshape(2, 3, 2, 2),
        ["encoder.cls_token"] = ones(1, 1, 2).to(ScalarType.BFloat16),
        ["steps"] = tensor(12L),
    };

    [Fact]
    public void InspectPrintsOneJsonLinePerTensor()
    {
        var path = Path.Combine(_temp.New("folk-lab-weights-"), "w.pth");
        Pth.Write(path, Sample());
        var r = CliRunner.Run("weights", "inspect", path);
        Assert.True(r.ExitCode == 0, r.Error);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(new[] { "encoder.patch_embed.proj.weight", "encoder.cls_token", "steps" }, lines.Select(l => l.GetProperty("name").GetString()));
        Assert.Equal(new long[] { 2, 3, 2, 2 }, lines[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal(new[] { "float32", "bfloat16", "int64" }, lines.Select(l => l.GetProperty("dtype").GetString()));
        Assert.Empty(lines[2].GetProperty("shape").EnumerateArray());
        Assert.Equal("", r.Error);
    }

    [Theory]
    [InlineData("safetensors", "out.safetensors")]
    [InlineData("pth", "out.pth")]
    public void ConvertKeepsEveryByte(string format, string name)
    {
        var folder = _temp.New("folk-lab-weights-");
        var source = Path.Combine(folder, "w.pth");
        var written = Sample();
        Pth.Write(source, written);
        var target = Path.Combine(folder, name);
        var r = CliRunner.Run("weights", "convert", source, "--to", format, "--out", target);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("3 tensors", r.Out);
        var read = format == "pth" ? Pth.Read(target).Tensors : SafeTensors.Read(target).Tensors;
        foreach (var (key, t) in written) Assert.Equal(TensorBytes.Of(t), TensorBytes.Of(read[key]));
        foreach (var t in written.Values.Concat(read.Values)) t.Dispose();
    }

    [Fact]
    public void ConvertWithAMapRenamesOntoFolkLabNamesAndListsWhatItDrops()
    {
        var folder = _temp.New("folk-lab-weights-");
        var source = Path.Combine(folder, "mfm.pth");
        var written = Sample();
        written["decoder.0.bias"] = zeros(48);
        Pth.Write(source, written);
        var target = Path.Combine(folder, "encoder.safetensors");
        var r = CliRunner.Run("weights", "convert", source, "--to", "safetensors", "--out", target, "--map", "auto");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("2 tensors", r.Out);
        Assert.Contains("dropped: decoder.0.bias: MFM's prediction head", r.Error);
        Assert.Contains("dropped: steps: not part of the encoder", r.Error);
        var read = SafeTensors.Read(target).Tensors;
        Assert.Equal(new[] { "cls_token", "patch_embed.proj.weight" }, read.Keys.Order());
        Assert.Equal(TensorBytes.Of(written["encoder.patch_embed.proj.weight"]), TensorBytes.Of(read["patch_embed.proj.weight"]));
        foreach (var t in written.Values.Concat(read.Values)) t.Dispose();
    }

    [Fact]
    public void ConvertToNpzNamesTheTensorNpzCannotHold()
    {
        var folder = _temp.New("folk-lab-weights-");
        var source = Path.Combine(folder, "w.pth");
        Pth.Write(source, Sample());
        var r = CliRunner.Run("weights", "convert", source, "--to", "npz", "--out", Path.Combine(folder, "w.npz"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("BFloat16", r.Error);
    }

    [Fact]
    public void AnUnsafeFileIsABadInputNamingTheGlobal()
    {
        var path = Path.Combine(_temp.New("folk-lab-weights-"), "evil.pth");
        var pickle = new List<byte> { 0x80, 2, (byte)'c' };
        pickle.AddRange(Encoding.ASCII.GetBytes("subprocess\nPopen\n"));
        pickle.AddRange(new byte[] { (byte)')', (byte)'R', (byte)'.' });
        File.WriteAllBytes(path, pickle.ToArray());
        var r = CliRunner.Run("weights", "inspect", path);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("folk-lab weights inspect: ", r.Error);
        Assert.Contains("subprocess.Popen", r.Error);
        Assert.Equal("", r.Out);
    }

    [PyTorchFact]
    public void InspectOfANestedCheckpointListsTheSkippedKeysOnStderr()
    {
        var folder = _temp.New("folk-lab-weights-");
        foreach (var t in PyTorchReference.Call("pth/save", new Dictionary<string, Tensor>(), new { folder }).Values) t.Dispose();
        var r = CliRunner.Run("weights", "inspect", Path.Combine(folder, "nested-legacy.pth"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(11, r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(new[] { "skipped: optimizer", "skipped: epoch" }, r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
    }
}
