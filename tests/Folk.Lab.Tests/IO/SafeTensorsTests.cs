using Folk.Lab.IO;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.IO;

/// <summary>The safetensors header read alone (<see cref="SafeTensors.ReadShapes"/>) and with the data
/// (<see cref="SafeTensors.Read"/>): the same shapes, and the same refusals of a damaged header.</summary>
public sealed class SafeTensorsTests : IDisposable
{
    readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TheHeaderAloneGivesTheShapesTheWholeFileHolds()
    {
        var path = Path.Combine(_temp.New("folk-lab-safetensors-"), "w.safetensors");
        using var a = TestImages.Normal(new long[] { 3, 5 });
        using var b = zeros(new long[] { 0 }, dtype: ScalarType.Int64);
        using var c = ones(Array.Empty<long>(), dtype: ScalarType.BFloat16);
        SafeTensors.Write(path, new Dictionary<string, Tensor> { ["a"] = a, ["b.c"] = b, ["scalar"] = c });
        var shapes = SafeTensors.ReadShapes(path);
        var (tensors, _) = SafeTensors.Read(path);
        Assert.Equal(tensors.OrderBy(t => t.Key).Select(t => (t.Key, t.Value.shape)), shapes.OrderBy(s => s.Key).Select(s => (s.Key, s.Value)));
        foreach (var t in tensors.Values) t.Dispose();
    }

    [Theory]
    [InlineData(4, "truncated safetensors file (4 bytes)")]
    [InlineData(20, "truncated safetensors header (declares")]
    public void ACutFileIsRefusedByBothNamingTheFile(int keep, string reason)
    {
        var folder = _temp.New("folk-lab-safetensors-");
        var path = Path.Combine(folder, "w.safetensors");
        using var a = TestImages.Normal(new long[] { 4, 4 });
        SafeTensors.Write(path, new Dictionary<string, Tensor> { ["a"] = a });
        var cut = Path.Combine(folder, "cut.safetensors");
        File.WriteAllBytes(cut, File.ReadAllBytes(path)[..keep]);
        Assert.Contains($"{cut}: {reason}", Assert.Throws<InvalidDataException>(() => SafeTensors.ReadShapes(cut)).Message);
        Assert.Contains($"{cut}: {reason}", Assert.Throws<InvalidDataException>(() => SafeTensors.Read(cut)).Message);

        var malformed = Path.Combine(folder, "malformed.safetensors");
        File.WriteAllBytes(malformed, [.. BitConverter.GetBytes(3UL), .. "{x]"u8.ToArray()]);
        Assert.Contains($"{malformed}: malformed safetensors header", Assert.Throws<InvalidDataException>(() => SafeTensors.ReadShapes(malformed)).Message);
        Assert.Contains($"{malformed}: malformed safetensors header", Assert.Throws<InvalidDataException>(() => SafeTensors.Read(malformed)).Message);
    }
}
