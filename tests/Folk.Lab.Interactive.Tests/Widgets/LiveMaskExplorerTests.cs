using Folk.Lab.Interactive.Views;
using Folk.Lab.Masks;
using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Tests.Widgets;

/// <summary>The live mask explorer: each control change recomputes the setting on the kernel and redraws the panel.</summary>
[Collection(nameof(WidgetCollection))]
public sealed class LiveMaskExplorerTests
{
    static Tensor Image()
    {
        using var generator = new Generator(7);
        return rand(3, 32, 32, generator: generator);
    }

    [Fact]
    public void MovingTheSlidersRecomputesAndRedraws()
    {
        using var front = new RecordingChannel();
        using var image = Image();
        using var explorer = MaskAblationExplorer.Live(image);
        Assert.Equal((2, 2.0), (explorer.Radius.Value, explorer.Frame.Parameter));     // 16 cycles at 224, scaled to 32
        var first = explorer.Panel.Value;

        RecordingChannel.FrontEndSets(explorer.Radius, "value", 6);
        Assert.Equal((2, "low-pass", 6.0), (explorer.Redraws, explorer.Frame.Strategy, explorer.Frame.Parameter));
        Assert.NotEqual(first, explorer.Panel.Value);
        Assert.StartsWith("<div class=\"folk-view\"", explorer.Panel.Value);
        Assert.Contains("low-pass r = 6 ", explorer.Panel.Value);

        RecordingChannel.FrontEndSets(explorer.Strategy, "value", "Com");
        RecordingChannel.FrontEndSets(explorer.KeepFraction, "value", 0.1);
        Assert.Equal((4, "Com", 0.1), (explorer.Redraws, explorer.Frame.Strategy, explorer.Frame.Parameter));
        Assert.Contains("Com τ = 10", System.Net.WebUtility.HtmlDecode(explorer.Panel.Value));
        Assert.InRange(explorer.Frame.KeptFraction, 0.1 - 1.0 / 1024, 0.1 + 1.0 / 1024); // τ is the keep fraction, to one frequency
    }

    [Fact]
    public void ComplementaryMasksKeepComplementaryFractionsAndRemovingTheLowBandCostsMore()
    {
        using var image = Image();
        foreach (var radius in new[] { 2.0, 5, 9 })
        {
            var low = LiveMaskExplorer.Compute(image, "low-pass", radius);
            var high = LiveMaskExplorer.Compute(image, "high-pass", radius);
            Assert.Equal(1.0, low.KeptFraction + high.KeptFraction, 1e-9);
            // the removed low band holds the largest coefficient (the mean); on uniform noise the others are alike in size
            Assert.True(high.Loss > low.Loss, $"r = {radius}: high-pass {high.Loss}, low-pass {low.Loss}");
        }
        var com = LiveMaskExplorer.Compute(image, "Com", 0.05);
        var rcom = LiveMaskExplorer.Compute(image, "RCom", 0.05);
        Assert.Equal(1.0, com.KeptFraction + rcom.KeptFraction, 1e-9);
        Assert.True(rcom.Loss > com.Loss, "Com keeps the largest frequencies: RCom removes them");
        Assert.Contains("Unknown strategy 'band-pass'", Assert.Throws<ArgumentException>(() => LiveMaskExplorer.Compute(image, "band-pass", 1)).Message);
    }

    [Fact]
    public void TheLossIsMfmsMaskedFrequencyLossOfTheFilteredImage()
    {
        using var image = Image();
        var frame = LiveMaskExplorer.Compute(image, "high-pass", 4);
        using var mask = 1 - RadialMask.LowPassBranch(32, 4);
        using var x = image.unsqueeze(0);
        using var filtered = Folk.Lab.Frequency.FrequencyFilter.Apply(x, mask.unsqueeze(0));
        using var expected = Folk.Lab.Losses.FrequencyLoss.Masked(filtered, x, mask.unsqueeze(0));
        Assert.Equal(expected.item<float>(), frame.Loss, 6);
        Assert.Equal(mask.mean().item<float>(), frame.KeptFraction, 6);
        Assert.Equal((32, 32), (frame.Filtered.Width, frame.Filtered.Height));
    }
}
