using Folk.Lab.Data;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Data.Transforms;

[Collection(GlobalRngCollection.Name)]
public class MultiViewTransformTests
{
    [Fact]
    public void PacksReproducibleDistinctViewsThatSplitBack()
    {
        var transform = MultiViewTransform.Dino(new MultiViewOptions { Size = 32, LocalCrops = 2, LocalSize = 16 });
        Assert.Equal(new[] { 32, 32, 16, 16 }, transform.Layout.Sizes);
        using var image = rand(3, 48, 48);
        using var a = transform.Apply(image, new Random(4));
        using var b = transform.Apply(image, new Random(4));
        TensorAssert.Equal(a, b, "same random stream, same views");
        Assert.Equal(transform.Layout.Length, a.shape[0]);
        using var batch = stack(new[] { a, b });
        var views = transform.Layout.Split(batch);
        Assert.Equal(new long[] { 2, 3, 32, 32 }, views[0].shape);
        Assert.Equal(new long[] { 2, 3, 16, 16 }, views[3].shape);
        Assert.False(views[0].equal(views[1]).all().item<bool>());                          // two different crops
        using var packed = transform.Layout.Pack(views);
        TensorAssert.Equal(batch, packed, "split then pack");
        foreach (var v in views) v.Dispose();
    }
}
