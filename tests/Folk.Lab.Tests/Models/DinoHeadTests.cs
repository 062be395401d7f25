using Folk.Lab.Models.Heads;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Models;

[Collection(Support.GlobalRngCollection.Name)]
public class DinoHeadTests
{
    [Fact]
    public void HasDinosKeysAndShapesAndOutputsCosines()
    {
        using var head = new DinoHead(384, new DinoHeadConfig { OutputDim = 1000 });
        var shapes = head.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        Assert.Equal(new[] { "mlp.0.weight", "mlp.0.bias", "mlp.1.weight", "mlp.1.bias", "mlp.2.weight", "mlp.2.bias", "last_layer.weight_g", "last_layer.weight_v" }.Order(), shapes.Keys.Order());
        Assert.Equal(new long[] { 2048, 384 }, shapes["mlp.0.weight"]);
        Assert.Equal(new long[] { 256, 2048 }, shapes["mlp.2.weight"]);
        Assert.Equal(new long[] { 1000, 1 }, shapes["last_layer.weight_g"]);
        Assert.Equal(new long[] { 1000, 256 }, shapes["last_layer.weight_v"]);
        using var x = randn(8, 384);
        using var y = head.forward(x);
        Assert.True(y.abs().max().item<float>() <= 1 + 1e-5f);           // unit bottleneck · unit prototypes
        using var bottleneck = head.Bottleneck(x);
        Assert.All(bottleneck.norm(1).data<float>().ToArray(), n => Assert.Equal(1f, n, 5));
    }
}
