using System.Text.Json.Nodes;
using Folk.Lab.Frequency;
using Folk.Lab.Interactive.Charts;
using Folk.Lab.Interactive.Rendering;
using Folk.Lab.Masks;
using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Views;

/// <summary>One precomputed setting of the explorer.</summary>
/// <param name="Strategy">"low-pass", "high-pass", "Com" or "RCom".</param>
/// <param name="Parameter">Radius (cycles per image) or keep fraction τ.</param>
/// <param name="KeptFraction">Fraction of frequencies kept.</param>
/// <param name="Mask">The mask over the spectrum.</param>
/// <param name="Filtered">The filtered image.</param>
public sealed record AblationFrame(string Strategy, double Parameter, double KeptFraction, RgbImage Mask, RgbImage Filtered);

/// <summary>
/// An ablation to play with and no widget server: one plotly.js figure whose dropdown picks the mask strategy
/// (MFM's low- and high-pass, FOLK's Com and RCom) and whose slider picks its radius or keep fraction, showing the mask
/// over the spectrum, the filtered image and the kept fraction. Every setting is precomputed, so it works in a saved
/// notebook or an exported page, offline.
/// </summary>
/// <param name="Frames">All settings, grouped by strategy in <see cref="Strategies"/> order.</param>
public sealed record MaskAblationExplorer(IReadOnlyList<AblationFrame> Frames)
{
    /// <summary>What the Com/RCom settings' τ means (FOLK ambiguity #1, the riskiest reading: build the explorer once per
    /// reading to compare them).</summary>
    public ComThreshold TauReading { get; init; } = ComThreshold.KeepFraction;

    /// <summary>The strategies, in menu order.</summary>
    public static readonly IReadOnlyList<string> Strategies = ["low-pass", "high-pass", "Com", "RCom"];

    /// <summary>Precomputes every setting for one image.</summary>
    /// <param name="image">C×H×W (square) in [0,1]; 96–128 pixels keep the page light (two PNGs per setting).</param>
    /// <param name="radii">Radii for low/high-pass (default MFM's 4…64 at 224, scaled to the image).</param>
    /// <param name="keepFractions">τ for Com/RCom (default FOLK's 0.5 %, 1 %, 5 % and two larger).</param>
    /// <param name="com">How Com reads τ (default: the keep fraction; <see cref="ComThreshold.MagnitudeFraction"/> for the
    /// magnitude threshold, whose kept fraction falls as τ grows).</param>
    public static MaskAblationExplorer Build(Tensor image, IReadOnlyList<double>? radii = null, IReadOnlyList<double>? keepFractions = null, ComMaskOptions? com = null)
    {
        if (image.dim() != 3 || image.shape[1] != image.shape[2])
            throw new ArgumentException($"image must be C×N×N; got shape [{string.Join("×", image.shape)}].", nameof(image));
        long n = image.shape[1];
        radii ??= new[] { 4.0, 8, 16, 32, 48, 64 }.Select(r => Math.Max(1, Math.Round(r * n / 224.0))).Distinct().ToArray();
        keepFractions ??= [0.005, 0.01, 0.05, 0.1, 0.25];
        using var scope = NewDisposeScope();
        var x = image.detach().cpu().to(ScalarType.Float32);
        var frames = new List<AblationFrame>();
        var lowPass = stack(radii.Select(r => RadialMask.LowPassBranch(n, r)).ToArray());               // R×N×N
        com ??= new ComMaskOptions();
        if (com.Channels == ComChannels.PerChannel)
            throw new ArgumentException("The explorer draws one mask per setting: use shared or luminance ranking (ComMaskOptions.Channels), not per-channel.", nameof(com));
        var comMasks = ComMask.Compute(x.unsqueeze(0).expand(keepFractions.Count, -1, -1, -1).contiguous(), keepFractions, com);
        foreach (var (strategy, masks, parameters) in new[]
                 {
                     ("low-pass", lowPass, radii), ("high-pass", 1 - lowPass, radii),
                     ("Com", comMasks, keepFractions), ("RCom", 1 - comMasks, keepFractions),
                 })
        {
            var filtered = FrequencyFilter.Apply(x.unsqueeze(0).expand(masks.shape[0], -1, -1, -1).contiguous(), masks);
            for (int i = 0; i < parameters.Count; i++)
            {
                var overlay = MaskOverlay.Of(x, masks[i]);
                frames.Add(new AblationFrame(strategy, parameters[i], overlay.KeptFraction, overlay.Overlay, RgbImage.FromTensor(filtered[i])));
            }
        }
        return new MaskAblationExplorer(frames) { TauReading = com.Threshold };
    }

    /// <summary>The live mode: controls that recompute each setting on the kernel (<see cref="LiveMaskExplorer"/>).</summary>
    public static LiveMaskExplorer Live(Tensor image, ComMaskOptions? com = null) => new(image, com);

    /// <summary>The figure: two image panels, a strategy dropdown and one slider per strategy.</summary>
    public PlotlyFigure ToFigure()
    {
        // Two image traces whose sources each setting swaps: every picture has the same size, so nothing is re-laid out.
        var uris = Frames.Select(f => (Mask: Uri(f.Mask), Filtered: Uri(f.Filtered))).ToList();
        var data = new JsonArray(ImageTrace(uris[0].Mask, "x", "y", "mask"), ImageTrace(uris[0].Filtered, "x2", "y2", "filtered"));
        JsonObject Sources(int frame) => new() { ["source"] = new JsonArray(uris[frame].Mask, uris[frame].Filtered) };
        var strategies = Strategies.Where(s => Frames.Any(f => f.Strategy == s)).ToList();
        var sliders = new JsonArray();
        var buttons = new JsonArray();
        foreach (var (strategy, s) in strategies.Select((st, s) => (st, s)))
        {
            var indices = Frames.Select((f, i) => (f, i)).Where(p => p.f.Strategy == strategy).Select(p => p.i).ToList();
            var steps = new JsonArray();
            foreach (var i in indices)
                steps.Add(new JsonObject
                {
                    ["label"] = Parameter(Frames[i]), ["method"] = "update",
                    ["args"] = new JsonArray(Sources(i), new JsonObject { ["title.text"] = Title(Frames[i]) }),
                });
            sliders.Add(new JsonObject
            {
                ["active"] = 0, ["visible"] = s == 0, ["steps"] = steps, ["pad"] = new JsonObject { ["t"] = 30 },
                ["currentvalue"] = new JsonObject
                {
                    ["prefix"] = strategy is not ("Com" or "RCom") ? "radius r = "
                        : TauReading == ComThreshold.KeepFraction ? "keep fraction τ = " : "magnitude threshold τ = ",
                },
            });
            var relayout = new JsonObject { ["title.text"] = Title(Frames[indices[0]]), [$"sliders[{s}].active"] = 0 };
            for (int k = 0; k < strategies.Count; k++) relayout[$"sliders[{k}].visible"] = k == s;
            buttons.Add(new JsonObject { ["label"] = strategy, ["method"] = "update", ["args"] = new JsonArray(Sources(indices[0]), relayout) });
        }
        var layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = Title(Frames[0]), ["x"] = 0.5 },
            ["xaxis"] = Axis(0, 0.48), ["yaxis"] = Axis(null, null, "x"),
            ["xaxis2"] = Axis(0.52, 1), ["yaxis2"] = Axis(null, null, "x2"),
            ["annotations"] = new JsonArray(Note("mask over spectrum", 0.24), Note("filtered image", 0.76)),
            ["sliders"] = sliders,
            ["updatemenus"] = new JsonArray(new JsonObject
            {
                ["type"] = "dropdown", ["buttons"] = buttons, ["x"] = 0, ["xanchor"] = "left", ["y"] = 1.18, ["yanchor"] = "top", ["active"] = 0,
            }),
            ["margin"] = new JsonObject { ["l"] = 20, ["r"] = 20, ["t"] = 90, ["b"] = 20 },
        };
        return new PlotlyFigure(data, layout, 640, 480);
    }

    /// <summary>The figure's HTML.</summary>
    public string ToHtml() => ToFigure().ToHtml();

    static string Uri(RgbImage image) => "data:image/png;base64," + Convert.ToBase64String(Png.Encode(image));

    static JsonObject ImageTrace(string source, string x, string y, string name) => new()
    {
        ["type"] = "image", ["source"] = source, ["xaxis"] = x, ["yaxis"] = y, ["name"] = name, ["hoverinfo"] = "skip",
    };

    static JsonObject Axis(double? from, double? to, string? scaleAnchor = null)
    {
        var axis = new JsonObject { ["showticklabels"] = false, ["showgrid"] = false, ["zeroline"] = false };
        if (from is { } a && to is { } b) axis["domain"] = new JsonArray(a, b);
        if (scaleAnchor is not null) { axis["scaleanchor"] = scaleAnchor; axis["anchor"] = scaleAnchor; }
        return axis;
    }

    static JsonObject Note(string text, double x) => new()
    {
        ["text"] = text, ["x"] = x, ["y"] = 1.02, ["xref"] = "paper", ["yref"] = "paper", ["showarrow"] = false, ["yanchor"] = "bottom",
    };

    static string Parameter(AblationFrame f) => f.Strategy is "Com" or "RCom" ? Html.Percent(f.Parameter) : Html.Number(f.Parameter, "0.#");

    static string Label(AblationFrame f) => $"{f.Strategy} {Parameter(f)}";

    static string Title(AblationFrame f) => $"{Label(f)} · kept {Html.Percent(f.KeptFraction)}";

    /// <inheritdoc/>
    public override string ToString() =>
        $"MaskAblationExplorer: {Frames.Count} settings ({string.Join(", ", Frames.GroupBy(f => f.Strategy).Select(g => $"{g.Key} ×{g.Count()}"))})";
}
