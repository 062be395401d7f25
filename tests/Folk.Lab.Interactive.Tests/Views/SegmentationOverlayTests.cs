using Folk.Lab.Interactive.Rendering;
using Folk.Lab.Interactive.Tests.Support;
using Folk.Lab.Interactive.Views;
using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Tests.Views;

public class SegmentationOverlayTests
{
    [Fact]
    public void ThePaletteIsAde20ksAndIgnoredPixelsAreBlack()
    {
        Assert.Equal(150, SegmentationPalette.Count);
        // mmsegmentation ADE20KDataset palette: wall, building, sky … flag
        Assert.Equal(((byte)120, (byte)120, (byte)120), SegmentationPalette.Colour(0));
        Assert.Equal(((byte)180, (byte)120, (byte)120), SegmentationPalette.Colour(1));
        Assert.Equal(((byte)6, (byte)230, (byte)230), SegmentationPalette.Colour(2));
        Assert.Equal(((byte)92, (byte)0, (byte)255), SegmentationPalette.Colour(149));
        Assert.Equal(((byte)0, (byte)0, (byte)0), SegmentationPalette.Colour(255));
        Assert.Equal(SegmentationPalette.Colour(3), SegmentationPalette.Colour(153));
        Assert.Throws<ArgumentOutOfRangeException>(() => SegmentationPalette.Colour(-1));
    }

    [Fact]
    public void ImageTruthAndPredictionAppearSideBySideWithTheImagesPixelAccuracy()
    {
        using var image = TestTensors.Images(1, 3, 4)[0];
        // truth: row 0 class 0, row 1 class 1, rows 2–3 ignored; prediction right on row 0, class 2 on row 1
        using var truth = tensor(new long[] { 0, 0, 0, 0, 1, 1, 1, 1, 255, 255, 255, 255, 255, 255, 255, 255 }, new long[] { 4, 4 });
        using var prediction = tensor(new long[] { 0, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1, 1, 1 }, new long[] { 4, 4 });
        var view = SegmentationOverlay.Of(image, truth, prediction, ["wall", "building", "sky"]);
        Assert.Equal(0.5, view.PixelAccuracy);                                   // 4 of the 8 labelled pixels
        Assert.Equal(new long[] { 0, 1, 2 }, view.Legend.Select(l => l.Label));
        Assert.Equal(new[] { "wall", "building", "sky" }, view.Legend.Select(l => l.Name));

        var html = Bundles.Html(view);
        var pictures = Bundles.Images(html);
        Assert.Equal(3, pictures.Count);
        Assert.All(pictures, p => Assert.Equal((4, 4), (p.Width, p.Height)));
        Assert.Equal(new byte[] { 120, 120, 120 }, pictures[1].Pixels[0..3]);                 // truth (0, 0): class 0
        Assert.Equal(new byte[] { 180, 120, 120 }, pictures[1].Pixels[(4 * 3)..(4 * 3 + 3)]);  // truth (1, 0): class 1
        Assert.Equal(new byte[] { 0, 0, 0 }, pictures[1].Pixels[(8 * 3)..(8 * 3 + 3)]);        // truth (2, 0): ignored
        Assert.Equal(new byte[] { 6, 230, 230 }, pictures[2].Pixels[(4 * 3)..(4 * 3 + 3)]);    // prediction (1, 0): class 2
        Assert.Contains("pixel accuracy 50.0 %", System.Net.WebUtility.HtmlDecode(html));
        Assert.Contains("building", Bundles.Text(view));
    }

    [Fact]
    public void LogitsAreShownByTheirArgMaxAndShapesMustAgree()
    {
        using var image = rand(3, 2, 2);
        using var truth = tensor(new long[] { 1, 1, 0, 0 }, new long[] { 2, 2 });
        using var logits = tensor(new float[] { /* class 0 */ 0, 0, 5, 5, /* class 1 */ 1, 1, 0, 0 }, new long[] { 2, 2, 2 });
        Assert.Equal(1.0, SegmentationOverlay.Of(image, truth, logits).PixelAccuracy);
        using var wrong = zeros(new long[] { 3, 3 }, dtype: ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => SegmentationOverlay.Of(image, truth, wrong));
    }
}
