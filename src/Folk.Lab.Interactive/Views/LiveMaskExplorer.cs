using Folk.Lab.Frequency;
using Folk.Lab.Interactive.Rendering;
using Folk.Lab.Interactive.Widgets;
using Folk.Lab.Losses;
using Folk.Lab.Masks;
using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Views;

/// <summary>One setting of the live explorer, computed when a control moved.</summary>
/// <param name="Strategy">"low-pass", "high-pass", "Com" or "RCom".</param>
/// <param name="Parameter">The radius (cycles per image) or the keep fraction τ.</param>
/// <param name="KeptFraction">Fraction of frequencies kept.</param>
/// <param name="Loss">MFM's frequency loss on the removed frequencies of the filtered image against the original: what a
/// network that returned its input unchanged would score.</param>
/// <param name="Mask">The mask over the image's spectrum.</param>
/// <param name="Filtered">The filtered image.</param>
/// <param name="FilteredSpectrum">The filtered image's log-magnitude spectrum.</param>
public sealed record LiveMaskFrame(string Strategy, double Parameter, double KeptFraction, double Loss, RgbImage Mask, RgbImage Filtered, RgbImage FilteredSpectrum);

/// <summary>
/// The mask ablation, live: a strategy menu (MFM's low- and high-pass, FOLK's Com and RCom), a radius slider and a
/// keep-fraction slider; moving one recomputes on the kernel the mask, the filtered image, its spectrum and the
/// frequency loss, and redraws them. It needs a kernel with widgets; <see cref="MaskAblationExplorer"/> precomputes the
/// same settings for saved notebooks and exported pages.
/// </summary>
public sealed class LiveMaskExplorer : IWidgetView, IDisposable
{
    readonly Tensor _image;
    readonly ComMaskOptions _com;

    /// <summary>An explorer of <paramref name="image"/> (C×N×N in [0, 1]; 96–128 pixels redraw in milliseconds).</summary>
    public LiveMaskExplorer(Tensor image, ComMaskOptions? com = null)
    {
        if (image.dim() != 3 || image.shape[1] != image.shape[2])
            throw new ArgumentException($"image must be C×N×N; got shape [{string.Join("×", image.shape)}].", nameof(image));
        _com = com ?? new ComMaskOptions();
        if (_com.Channels == ComChannels.PerChannel)
            throw new ArgumentException("The explorer draws one mask per setting: use shared or luminance ranking (ComMaskOptions.Channels), not per-channel.", nameof(com));
        _image = image.detach().cpu().to(ScalarType.Float32);
        long n = image.shape[1];
        Strategy = new Dropdown(MaskAblationExplorer.Strategies, description: "strategy");
        Radius = new IntSlider((int)Math.Max(1, Math.Round(16 * n / 224.0)), 1, (int)(n / 2), description: "radius r");
        KeepFraction = new FloatSlider(0.05, 0.005, 0.5, 0.005, description: "keep τ", readoutFormat: ".1%");
        Panel = new HtmlView();
        Strategy.Changed += _ => Redraw();
        Radius.Changed += _ => Redraw();
        KeepFraction.Changed += _ => Redraw();
        View = Box.Vertical(Box.Horizontal(Strategy, Radius, KeepFraction), Panel);
        Redraw();
    }

    /// <summary>The strategy menu.</summary>
    public Dropdown Strategy { get; }

    /// <summary>The low- and high-pass radius, in cycles per image.</summary>
    public IntSlider Radius { get; }

    /// <summary>The Com and RCom keep fraction τ.</summary>
    public FloatSlider KeepFraction { get; }

    /// <summary>The pictures and numbers of the current setting.</summary>
    public HtmlView Panel { get; }

    /// <inheritdoc/>
    public Widget View { get; }

    /// <summary>The current setting, as last drawn.</summary>
    public LiveMaskFrame Frame { get; private set; } = null!;

    /// <summary>How many times the explorer recomputed (one per control change, plus the first).</summary>
    public int Redraws { get; private set; }

    /// <summary>Computes one setting of <paramref name="image"/> (C×N×N in [0, 1]).</summary>
    public static LiveMaskFrame Compute(Tensor image, string strategy, double parameter, ComMaskOptions? com = null)
    {
        using var scope = NewDisposeScope();
        long n = image.shape[1];
        var x = image.unsqueeze(0);
        var mask = strategy switch
        {
            "low-pass" => RadialMask.LowPassBranch(n, parameter),
            "high-pass" => 1 - RadialMask.LowPassBranch(n, parameter),
            "Com" => ComMask.Compute(x, [parameter], com)[0],
            "RCom" => 1 - ComMask.Compute(x, [parameter], com)[0],
            _ => throw new ArgumentException($"Unknown strategy '{strategy}'; use one of {string.Join(", ", MaskAblationExplorer.Strategies)}.", nameof(strategy)),
        };
        var filtered = FrequencyFilter.Apply(x, mask.unsqueeze(0));
        var loss = FrequencyLoss.Masked(filtered, x, mask.unsqueeze(0)).item<float>();
        var overlay = MaskOverlay.Of(image, mask);
        var spectrum = SpectrumView.Of(filtered[0]);
        return new LiveMaskFrame(strategy, parameter, overlay.KeptFraction, loss, overlay.Overlay, RgbImage.FromTensor(filtered[0]), spectrum.Magnitude);
    }

    void Redraw()
    {
        var strategy = Strategy.Value;
        var parameter = strategy is "Com" or "RCom" ? KeepFraction.Value : Radius.Value;
        Frame = Compute(_image, strategy, parameter, _com);
        Redraws++;
        Panel.Value = ToHtml(Frame);
    }

    /// <summary>The panel's HTML for <paramref name="frame"/>: mask, filtered image and its spectrum, and the numbers.</summary>
    public static string ToHtml(LiveMaskFrame frame)
    {
        const int size = 192;
        var setting = frame.Strategy is "Com" or "RCom" ? $"τ = {Html.Percent(frame.Parameter)}" : $"r = {Html.Number(frame.Parameter, "0.#")}";
        return Html.Row(
        [
            Html.Figure(Html.Image(frame.Mask, "mask over spectrum", size), "mask over spectrum", size),
            Html.Figure(Html.Image(frame.Filtered, "filtered image", size), "filtered image", size),
            Html.Figure(Html.Image(frame.FilteredSpectrum, "filtered spectrum", size), "its spectrum", size),
        ], $"{frame.Strategy} {setting} · kept {Html.Percent(frame.KeptFraction)} · frequency loss of the unrestored input {Html.Number(frame.Loss)}");
    }

    /// <inheritdoc/>
    public override string ToString() => $"LiveMaskExplorer: {Frame.Strategy}, kept {Html.Percent(Frame.KeptFraction)}, loss {Html.Number(Frame.Loss)}";

    /// <summary>Releases the image and closes the widgets.</summary>
    public void Dispose()
    {
        View.Close();
        _image.Dispose();
    }
}
