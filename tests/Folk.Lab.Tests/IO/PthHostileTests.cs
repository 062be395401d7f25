using System.Text;
using Folk.Lab.IO.Pth;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.IO;

/// <summary>
/// Hostile .pth files are refused and nothing in them runs. Python writes them with pickle and torch.save without
/// loading them; each payload would create a marker file if anything executed it.
/// </summary>
public sealed class PthHostileTests : IDisposable
{
    readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    [PyTorchTheory]
    [InlineData("system.pth", "posix.system")]
    [InlineData("system-raw.pth", "posix.system")]
    [InlineData("eval.pth", "builtins.eval")]
    [InlineData("popen.pth", "subprocess.Popen")]
    public void ForeignGlobalsAreRefusedAndNothingRuns(string file, string global)
    {
        var folder = _temp.New("folk-lab-pth-hostile-");
        var marker = Path.Combine(folder, "MARKER");
        PyTorchReference.Call("pth/hostile", new Dictionary<string, Tensor>(), new { folder, marker });
        var path = Path.Combine(folder, file);
        var refused = Assert.Throws<UnsafePickleException>(() => Pth.Read(path));
        Assert.Equal(global, refused.Global);
        Assert.Contains(global, refused.Message);
        Assert.Contains(path, refused.Message);
        Assert.Throws<UnsafePickleException>(() => Pth.Inspect(path));
        Assert.False(File.Exists(marker));
    }

    [PyTorchFact]
    public void SkippingObjectsLeavesThemUnbuiltOutsideTheWeightsAndNeverAmongThem()
    {
        var folder = _temp.New("folk-lab-pth-hostile-");
        var marker = Path.Combine(folder, "MARKER");
        PyTorchReference.Call("pth/hostile", new Dictionary<string, Tensor>(), new { folder, marker });

        var strict = Assert.Throws<UnsafePickleException>(() => Pth.Read(Path.Combine(folder, "eval.pth")));
        Assert.Equal("extra", strict.Entry);
        Assert.Contains("--skip-objects", strict.Message);
        foreach (var (file, global) in new[] { ("system.pth", "posix.system"), ("eval.pth", "builtins.eval"), ("popen.pth", "subprocess.Popen") })
        {
            var read = Pth.Read(Path.Combine(folder, file), skipObjects: true);
            Assert.Equal(new[] { "w" }, read.Tensors.Keys);
            Assert.Equal(new[] { $"extra (holds {global}, not built)" }, read.Skipped);
            foreach (var t in read.Tensors.Values) t.Dispose();
        }
        var inside = Assert.Throws<UnsafePickleException>(() => Pth.Read(Path.Combine(folder, "inside.pth"), skipObjects: true));
        Assert.Equal(("posix.system", "model.b"), (inside.Global, inside.Entry));
        Assert.DoesNotContain("--skip-objects", inside.Message);
        var whole = Assert.Throws<UnsafePickleException>(() => Pth.Read(Path.Combine(folder, "system-raw.pth"), skipObjects: true));
        Assert.Null(whole.Entry);
        Assert.False(File.Exists(marker));
    }

    [PyTorchFact]
    public void TruncatedZipAndOffsetPastTheEndAreRefusedByName()
    {
        var folder = _temp.New("folk-lab-pth-hostile-");
        var marker = Path.Combine(folder, "MARKER");
        PyTorchReference.Call("pth/hostile", new Dictionary<string, Tensor>(), new { folder, marker });
        var truncated = Path.Combine(folder, "truncated.pth");
        var e = Assert.Throws<InvalidDataException>(() => Pth.Read(truncated));
        Assert.StartsWith(truncated, e.Message);
        var offset = Path.Combine(folder, "offset.pth");
        e = Assert.Throws<InvalidDataException>(() => Pth.Read(offset));
        Assert.Contains("tensor 'w'", e.Message);
        Assert.Contains("offset 10", e.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void AHandWrittenGlobalIsRefusedWithoutPyTorch()
    {
        var path = Path.Combine(_temp.New("folk-lab-pth-hostile-"), "evil.pth");
        // PROTO 2, GLOBAL os.system, SHORT_BINUNICODE 'true', TUPLE1, REDUCE, STOP
        var pickle = new List<byte> { 0x80, 2, (byte)'c' };
        pickle.AddRange(Encoding.ASCII.GetBytes("os\nsystem\n"));
        pickle.AddRange(new byte[] { 0x8c, 4 });
        pickle.AddRange(Encoding.ASCII.GetBytes("true"));
        pickle.AddRange(new byte[] { 0x85, (byte)'R', (byte)'.' });
        File.WriteAllBytes(path, pickle.ToArray());
        var refused = Assert.Throws<UnsafePickleException>(() => Pth.Read(path));
        Assert.Equal("os.system", refused.Global);
    }

    [Fact]
    public void CallingAStorageClassIsRefused()
    {
        var path = Path.Combine(_temp.New("folk-lab-pth-hostile-"), "call.pth");
        // PROTO 2, GLOBAL torch.FloatStorage (allowed as a name), EMPTY_TUPLE, REDUCE (not allowed as a call), STOP
        var pickle = new List<byte> { 0x80, 2, (byte)'c' };
        pickle.AddRange(Encoding.ASCII.GetBytes("torch\nFloatStorage\n"));
        pickle.AddRange(new byte[] { (byte)')', (byte)'R', (byte)'.' });
        File.WriteAllBytes(path, pickle.ToArray());
        var refused = Assert.Throws<UnsafePickleException>(() => Pth.Read(path));
        Assert.Equal("torch.FloatStorage", refused.Global);
    }

    [Fact]
    public void AStorageLongerThanItsRecordIsRefusedBeforeAnyAllocation()
    {
        var path = Path.Combine(_temp.New("folk-lab-pth-hostile-"), "huge.pth");
        const long numel = 1L << 40;                                        // 4 TiB of float32 claimed, 8 bytes stored
        var p = new List<byte> { 0x80, 2, (byte)'}', (byte)'(' };
        Unicode(p, "w");
        Ascii(p, "ctorch._utils\n_rebuild_tensor_v2\n((");
        Unicode(p, "storage");
        Ascii(p, "ctorch\nFloatStorage\n");
        Unicode(p, "0");
        Unicode(p, "cpu");
        Long(p, numel);
        Ascii(p, "tQK\u0000(");
        Long(p, numel);
        Ascii(p, "t(K\u0001t\u0089ccollections\nOrderedDict\n)RtRu.");
        var records = new List<(string, byte[])> { ("archive/data.pkl", p.ToArray()), ("archive/data/0", new byte[8]), ("archive/version", "3\n"u8.ToArray()) };
        using (var file = File.Create(path)) StoredZip.Write(file, records);
        Assert.Equal(new long[] { numel }, Pth.Inspect(path).Tensors.Single().Shape);
        var e = Assert.Throws<InvalidDataException>(() => Pth.Read(path));
        Assert.Contains("storage 0 holds 8 bytes, its tensors need 4398046511104", e.Message);
    }

    static void Ascii(List<byte> p, string text) => p.AddRange(Encoding.Latin1.GetBytes(text));

    static void Unicode(List<byte> p, string text)
    {
        p.Add((byte)'X');
        p.AddRange(BitConverter.GetBytes(text.Length));
        p.AddRange(Encoding.UTF8.GetBytes(text));
    }

    static void Long(List<byte> p, long value)
    {
        p.AddRange(new byte[] { 0x8a, 8 });
        p.AddRange(BitConverter.GetBytes(value));
    }
}
