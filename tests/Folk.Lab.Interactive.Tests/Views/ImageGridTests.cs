using Folk.Lab.Data;
using Folk.Lab.Interactive.Tests.Support;
using Folk.Lab.Interactive.Views;
using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Tests.Views;

public class ImageGridTests
{
    [Fact]
    public void ABatchBecomesOnePngOfTheGridsSize()
    {
        using var images = TestTensors.Images(10, 3, 24);
        var grid = ImageGrid.Of(images, columns: 4);
        var decoded = Assert.Single(Bundles.Images(Bundles.Html(grid)));
        Assert.Equal(4 * 24 + 5 * 2, decoded.Width);   // 4 columns, 2-pixel gaps around
        Assert.Equal(3 * 24 + 4 * 2, decoded.Height);  // 10 images → 3 rows
        // the first tile is the first image, byte for byte (rounded to 8 bits)
        var expected = (images[0, 0, 0, 0].item<float>() * 255);
        Assert.Equal(Math.Round(expected), decoded.Pixels[(2 * decoded.Width + 2) * 3], 0);
        Assert.Contains("10 image(s) 24×24", Bundles.Text(grid));
    }

    [Fact]
    public void CaptionsGiveOneFigurePerImage()
    {
        using var images = TestTensors.Images(3, 1, 16);
        var html = Bundles.Html(ImageGrid.Of(images, ["a", "b & c", "d"]));
        var tiles = Bundles.Images(html);
        Assert.Equal(3, tiles.Count);
        Assert.All(tiles, t => Assert.Equal((16, 16), (t.Width, t.Height)));
        Assert.Contains("<figcaption", html);
        Assert.Contains("b &amp; c", html);
        Assert.Equal(tiles[0].Pixels[0], tiles[0].Pixels[1]); // grey stays grey
    }

    [Fact]
    public void NormalisedImagesAreUnnormalisedForDisplay()
    {
        using var images = TestTensors.Images(2, 3, 8);
        using var normalised = ImageNetNormalization.Normalize(images);
        var plain = ImageGrid.Of(images).ToImage();
        var restored = ImageGrid.Of(normalised, mean: ImageNetNormalization.Mean, std: ImageNetNormalization.Std).ToImage();
        Assert.True(plain.Pixels.Zip(restored.Pixels).All(p => Math.Abs(p.First - p.Second) <= 1));
    }

    [Fact]
    public void WrongShapesAreRefusedWithTheShape()
    {
        using var two = zeros(2, 5, 8, 8);
        var e = Assert.Throws<ArgumentException>(() => ImageGrid.Of(two));
        Assert.Contains("2×5×8×8", e.Message);
        using var ok = zeros(2, 3, 8, 8);
        Assert.Throws<ArgumentException>(() => ImageGrid.Of(ok, ["only one"]));
    }
}
