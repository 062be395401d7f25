using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Languages;
using static TorchSharp.torch;

namespace Folk.Lab.Kernel.Tests.Execution;

public class SharedValueTests
{
    [Fact]
    public void TensorsAndNumericArraysCrossAsTensorsKeepingDtypeAndShape()
    {
        using var image = arange(24, dtype: ScalarType.Float32).reshape(2, 3, 4);
        var shared = SharedValue.FromDotNet("image", image);
        Assert.Equal("tensor", shared.Kind);
        Assert.Equal([2L, 3, 4], shared.Tensor!.shape);
        Assert.Equal(ScalarType.Float32, shared.Tensor.dtype);
        Assert.True(shared.Tensor.eq(image).all().item<bool>());

        Assert.Equal(ScalarType.Int64, SharedValue.FromDotNet("a", new long[] { 1, 2 }).Tensor!.dtype);
        Assert.Equal(ScalarType.Float64, SharedValue.FromDotNet("a", new[] { 0.5 }).Tensor!.dtype);
        Assert.Equal(ScalarType.Byte, SharedValue.FromDotNet("a", new byte[] { 7 }).Tensor!.dtype);
        Assert.Equal(ScalarType.Bool, SharedValue.FromDotNet("a", new[] { true }).Tensor!.dtype);
    }

    [Fact]
    public void ScalarsStringsListsAndMapsCrossAsJsonAndComeBackAsPlainDotNetValues()
    {
        var value = new Dictionary<string, object?> { ["epochs"] = 5, ["lr"] = 1.5e-3, ["name"] = "mfm", ["flags"] = new List<bool> { true, false }, ["none"] = null };
        var shared = SharedValue.FromDotNet("config", value);
        Assert.Equal("json", shared.Kind);
        Assert.Equal("""{"epochs":5,"lr":0.0015,"name":"mfm","flags":[true,false],"none":null}""", shared.Json!.ToJsonString());
        var back = Assert.IsType<Dictionary<string, object?>>(shared.ToDotNet());
        Assert.Equal(5L, back["epochs"]);                                    // whole numbers come back as long
        Assert.Equal(1.5e-3, back["lr"]);
        Assert.Equal("mfm", back["name"]);
        Assert.Equal([true, false], Assert.IsType<List<object?>>(back["flags"]));
        Assert.Null(back["none"]);
        Assert.Equal(3L, new SharedValue { Kind = "json", Json = JsonNode.Parse("3") }.ToDotNet());
    }

    [Fact]
    public void AValueThatCannotCrossIsRefusedNamingItsType()
    {
        var e = Assert.Throws<ValueSharingException>(() => SharedValue.FromDotNet("when", new { At = DateTime.UnixEpoch }));
        Assert.Contains("'when' is a", e.Message);
        Assert.Contains("AnonymousType", e.Message);
        Assert.Contains("tensors", e.Message);                                // what can cross
        var nan = Assert.Throws<ValueSharingException>(() => SharedValue.FromDotNet("loss", double.NaN));
        Assert.Contains("share it as a tensor", nan.Message);
    }
}
