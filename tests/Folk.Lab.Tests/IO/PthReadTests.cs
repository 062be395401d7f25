using Folk.Lab.IO;
using Folk.Lab.IO.Pth;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.IO;

/// <summary>Files written by Debian's <c>torch.save</c> (zip and legacy layouts, a plain state dict and a nested
/// checkpoint), read by Folk.Lab bit for bit, with views of one storage kept as views.</summary>
public sealed class PthReadTests : IDisposable
{
    readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    [PyTorchTheory]
    [InlineData("zip.pth", "zip", null)]
    [InlineData("legacy.pth", "legacy", null)]
    [InlineData("nested.pth", "zip", "model")]
    [InlineData("nested-legacy.pth", "legacy", "model")]
    public void TorchSaveIsReadBitForBit(string file, string format, string? under)
    {
        var folder = _temp.New("folk-lab-pth-");
        var expected = PyTorchReference.Call("pth/save", new Dictionary<string, Tensor>(), new { folder });
        var checkpoint = Pth.Read(Path.Combine(folder, file));
        try
        {
            Assert.Equal(format, checkpoint.Format);
            Assert.Equal(under, checkpoint.Under);
            Assert.Equal(under is null ? Array.Empty<string>() : new[] { "optimizer", "epoch" }, checkpoint.Skipped);
            var names = expected.Keys.Where(k => k.StartsWith("bytes.", StringComparison.Ordinal)).Select(k => k["bytes.".Length..]).ToList();
            Assert.Equal(11, names.Count);                                  // weight, bias and the nine fixtures
            Assert.Equal(names, checkpoint.Tensors.Keys);                   // the file's order
            foreach (var name in names)
            {
                var t = checkpoint.Tensors[name];
                Assert.Equal(PthFixtures.DTypes[expected["dtype." + name].item<long>()], t.dtype);
                Assert.Equal(expected["shape." + name].data<long>().ToArray(), t.shape);
                Assert.Equal(expected["stride." + name].data<long>().ToArray(), t.stride());
                Assert.Equal(expected["bytes." + name].data<byte>().ToArray(), TensorBytes.Of(t));
            }
            Assert.Empty(checkpoint.Tensors["scalar"].shape);
            Assert.Equal(2.5f, checkpoint.Tensors["scalar"].item<float>());

            // The transpose and the slice view base's memory, as torch.load gives them.
            checkpoint.Tensors["base"][3, 3] = tensor(42f);
            Assert.Equal(42f, checkpoint.Tensors["base_t"][3, 3].item<float>());
            Assert.Equal(42f, checkpoint.Tensors["base_slice"][1, 1].item<float>());
        }
        finally
        {
            foreach (var t in checkpoint.Tensors.Values) t.Dispose();
            foreach (var t in expected.Values) t.Dispose();
        }
    }

    [PyTorchFact]
    public void InspectListsTheTensorsWithoutReadingThem()
    {
        var folder = _temp.New("folk-lab-pth-");
        foreach (var t in PyTorchReference.Call("pth/save", new Dictionary<string, Tensor>(), new { folder }).Values) t.Dispose();
        var (tensors, skipped) = Pth.Inspect(Path.Combine(folder, "nested.pth"));
        Assert.Equal(new[] { "optimizer", "epoch" }, skipped);
        Assert.Equal(new PthTensorInfo("bf16", new long[] { 2, 3 }, "bfloat16"), tensors.Single(t => t.Name == "bf16"), PthFixtures.InfoComparer);
        Assert.Equal(new PthTensorInfo("base_slice", new long[] { 3, 3 }, "float32"), tensors.Single(t => t.Name == "base_slice"), PthFixtures.InfoComparer);
        Assert.Equal(new PthTensorInfo("scalar", Array.Empty<long>(), "float32"), tensors.Single(t => t.Name == "scalar"), PthFixtures.InfoComparer);
    }
}

/// <summary>What the .pth tests share: pth_reference.py's dtype order, and a comparer for tensor descriptions.</summary>
internal static class PthFixtures
{
    /// <summary>pth_reference.DTYPES, in order.</summary>
    public static readonly ScalarType[] DTypes =
    {
        ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Float64, ScalarType.Int64, ScalarType.Int32,
        ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool,
    };

    public static readonly IEqualityComparer<PthTensorInfo> InfoComparer = EqualityComparer<PthTensorInfo>.Create(
        (a, b) => a!.Name == b!.Name && a.DType == b.DType && a.Shape.SequenceEqual(b.Shape), a => a.Name.GetHashCode(StringComparison.Ordinal));
}
