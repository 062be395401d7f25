using Folk.Lab.Frequency;
using Folk.Lab.Interactive.Rendering;
using Folk.Lab.Interactive.Tests.Support;
using Folk.Lab.Interactive.Views;
using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Tests.Views;

public class SpectrumViewTests
{
    [Fact]
    public void DcIsTheTopColourAndTheMinimumTheBottomColour()
    {
        using var images = TestTensors.Images(1, 3, 32);
        var view = SpectrumView.Of(images[0]);
        var (r, g, b) = Colormap.Spectral[1.0];
        int centre = (16 * 32 + 16) * 3;   // DC of an even-sized centred spectrum sits at (N/2, N/2)
        Assert.Equal((r, g, b), (view.Magnitude.Pixels[centre], view.Magnitude.Pixels[centre + 1], view.Magnitude.Pixels[centre + 2]));

        using var magnitude = Spectrum.LogMagnitude(Spectrum.Centered(images[0])).mean(new long[] { 0 });
        Assert.Equal(magnitude.max().item<float>(), view.Hi, 4);
        Assert.Equal(magnitude.min().item<float>(), view.Lo, 4);
        int argmin = (int)magnitude.flatten().argmin().item<long>();
        var low = Colormap.Spectral[0.0];
        Assert.Equal((low.R, low.G, low.B), (view.Magnitude.Pixels[3 * argmin], view.Magnitude.Pixels[3 * argmin + 1], view.Magnitude.Pixels[3 * argmin + 2]));
    }

    [Fact]
    public void TheHtmlHoldsTheHeatmapAColourBarAndCentredAxes()
    {
        using var images = TestTensors.Images(1, 1, 32);
        var html = Bundles.Html(SpectrumView.Of(images, phase: true));
        var pictures = Bundles.Images(html);
        Assert.Equal(4, pictures.Count);                       // magnitude, its bar, phase, its bar
        Assert.Equal((32, 32), (pictures[0].Width, pictures[0].Height));
        Assert.Equal(12, pictures[1].Width);
        Assert.Contains("cycles per image", html);
        Assert.Contains(">-16<", html);                        // −N/2 … N/2 − 1 around DC
        Assert.Contains(">15<", html);
        Assert.Contains("log(1+|X|)", html);
        Assert.Contains("with phase", Bundles.Text(SpectrumView.Of(images, phase: true)));
    }

    [Fact]
    public void TheCyclicMapClosesOnItselfAndTheColourBarRunsFromTopToBottom()
    {
        Assert.Equal(Colormap.Cyclic[0.0], Colormap.Cyclic[1.0]);
        var bar = Colorbar.Image(Colormap.Spectral, 100);
        Assert.Equal(Colormap.Spectral[1.0], (bar.Pixels[0], bar.Pixels[1], bar.Pixels[2]));
        int last = (99 * 12) * 3;
        Assert.Equal(Colormap.Spectral[0.0], (bar.Pixels[last], bar.Pixels[last + 1], bar.Pixels[last + 2]));
    }

    [Fact]
    public void TicksSitAtPixelCentresAroundDc()
    {
        var ticks = FrequencyAxes.Ticks(8);
        Assert.Equal(new long[] { -4, -2, 0, 2, 3 }, ticks.Select(t => t.Frequency));
        Assert.Equal((4 + 0.5) / 8, ticks.Single(t => t.Frequency == 0).Position);
    }
}
