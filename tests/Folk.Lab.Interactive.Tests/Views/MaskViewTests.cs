using Folk.Lab.Interactive.Rendering;
using Folk.Lab.Interactive.Tests.Support;
using Folk.Lab.Interactive.Views;
using Folk.Lab.Masks;
using Folk.Lab.Models;
using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Tests.Views;

public class MaskViewTests
{
    [Fact]
    public void KeptFrequenciesKeepTheirColourAndRemovedOnesAreDimmedGrey()
    {
        using var images = TestTensors.Images(1, 3, 32);
        using var mask = RadialMask.LowPassBranch(32, 6);
        var overlay = MaskOverlay.Of(images[0], mask, "LowPass(6)");
        Assert.Equal(mask.mean().item<float>(), overlay.KeptFraction, 6);
        var full = SpectrumView.Of(images[0]).Magnitude;
        int dc = (16 * 32 + 16) * 3, corner = 0;
        Assert.Equal(full.Pixels[dc..(dc + 3)], overlay.Overlay.Pixels[dc..(dc + 3)]);
        Assert.Equal(overlay.Overlay.Pixels[corner], overlay.Overlay.Pixels[corner + 1]);            // grey
        Assert.True(overlay.Overlay.Pixels[corner] <= Math.Round(255 * MaskOverlay.RemovedBrightness));
        var html = Bundles.Html(overlay);
        Assert.Contains("LowPass(6) · kept", System.Net.WebUtility.HtmlDecode(html));
        Assert.Equal((32, 32), (Bundles.Images(html)[0].Width, Bundles.Images(html)[0].Height));
    }

    [Fact]
    public void TheCorruptionStoryHasSixPanelsWithAReconstructionAndFiveWithout()
    {
        using var images = TestTensors.Images(1, 3, 32);
        using var mask = RadialMask.LowPassBranch(32, 6);
        var story = CorruptionStory.Of(images[0], mask, reconstruction: images[0], description: "LowPass(6)");
        var pictures = Bundles.Images(Bundles.Html(story));
        Assert.Equal(6, pictures.Count);
        Assert.All(pictures, p => Assert.Equal((32, 32), (p.Width, p.Height)));
        // a perfect reconstruction has zero error everywhere: the error spectrum is one colour
        Assert.Single(pictures[5].Pixels.Chunk(3).Select(c => (c[0], c[1], c[2])).Distinct());
        Assert.Equal(5, CorruptionStory.Of(images[0], mask).Panels.Count);
        Assert.Contains("image → spectrum", Bundles.Text(story));
    }

    [Fact]
    public void AttentionShowsEveryHeadAndTheRolloutOverTheImage()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new VisionTransformer(VisionTransformerConfig.Tiny16 with { ImageSize = 32, Depth = 2 });
        model.eval();
        var images = TestTensors.Images(1, 3, 32);
        var view = AttentionMap.Of(model, images[0], layer: -1);
        Assert.Equal(1, view.Layer);
        Assert.Equal(3, view.Heads.Count);
        var pictures = Bundles.Images(Bundles.Html(view));
        Assert.Equal(2 + 3, pictures.Count);
        Assert.All(pictures, p => Assert.Equal((32, 32), (p.Width, p.Height)));
        Assert.Throws<ArgumentOutOfRangeException>(() => AttentionMap.Of(model, images[0], layer: 2));
    }

    [Fact]
    public void RolloutSharesSumToOneWithTheClsShare()
    {
        using var scope = NewDisposeScope();
        var weights = Enumerable.Range(0, 3).Select(_ => softmax(randn(2, 4, 5, 5), -1)).ToList();
        var rollout = Folk.Lab.Diagnostics.AttentionRollout.ClsToPatches(weights);
        Assert.Equal(new long[] { 2, 4 }, rollout.shape);
        var sums = rollout.sum(-1);
        Assert.True(sums.lt(1).all().item<bool>() && sums.gt(0).all().item<bool>());
        // with attention that always stays on the token itself, rollout is the identity: no patch feeds cls
        var identity = Enumerable.Range(0, 2).Select(_ => eye(5).expand(1, 1, 5, 5)).ToList();
        Assert.Equal(0, Folk.Lab.Diagnostics.AttentionRollout.ClsToPatches(identity).abs().max().item<float>());
        _ = Colormap.Spectral;
    }
}
