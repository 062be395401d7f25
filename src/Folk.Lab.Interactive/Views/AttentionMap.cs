using Folk.Lab.Data;
using Folk.Lab.Diagnostics;
using Folk.Lab.Interactive.Rendering;
using Folk.Lab.Models;
using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Views;

/// <summary>
/// Where a ViT's cls token looks: the cls-token attention of every head of one block, and the attention rollout
/// through all blocks, each upsampled to the image and laid over it (heat over a dimmed copy of the image).
/// </summary>
/// <param name="Image">The image the model saw, for display.</param>
/// <param name="Heads">One overlay per head of the chosen block.</param>
/// <param name="Rollout">The rollout overlay.</param>
/// <param name="Layer">The chosen block (from 0).</param>
/// <param name="DisplaySize">Shown width of each panel in CSS pixels.</param>
public sealed record AttentionMap(RgbImage Image, IReadOnlyList<RgbImage> Heads, RgbImage Rollout, int Layer, int DisplaySize)
{
    /// <summary>How much of the heat colour covers the image (0 = image only, 1 = heat only).</summary>
    public const double HeatOpacity = 0.6;

    /// <summary>Runs <paramref name="model"/> on one image and shows its attention.</summary>
    /// <param name="model">A ViT (its cls token is token 0).</param>
    /// <param name="image">3×H×W in [0,1], H = W = the model's image size.</param>
    /// <param name="layer">Block whose heads are shown; negative counts from the end (−1 = last).</param>
    /// <param name="normalize">Normalise with ImageNet statistics before the model (as in training).</param>
    /// <param name="displaySize">Shown width of each panel.</param>
    public static AttentionMap Of(VisionTransformer model, Tensor image, int layer = -1, bool normalize = true, int displaySize = 160)
    {
        if (image.dim() != 3) throw new ArgumentException($"image must be 3×H×W; got shape [{string.Join("×", image.shape)}].", nameof(image));
        int depth = model.Blocks.Count;
        int chosen = layer < 0 ? depth + layer : layer;
        if (chosen < 0 || chosen >= depth) throw new ArgumentOutOfRangeException(nameof(layer), layer, $"the model has {depth} blocks.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = model.parameters().First().device;
        var x = image.detach().to(ScalarType.Float32).to(device).unsqueeze(0);
        var weights = model.AttentionWeights(normalize ? ImageNetNormalization.Normalize(x) : x);
        long grid = model.Config.ImageSize / model.Config.PatchSize;
        var cls = weights[chosen][0].select(1, 0).narrow(1, 1, grid * grid);                 // heads×N
        var rollout = AttentionRollout.ClsToPatches(weights)[0];                                // N
        var shown = RgbImage.FromTensor(image.detach().cpu());
        var heads = Enumerable.Range(0, (int)cls.shape[0]).Select(h => Overlay(shown, cls[h], grid)).ToList();
        return new AttentionMap(shown, heads, Overlay(shown, rollout, grid), chosen, displaySize);
    }

    /// <summary>A patch-grid map (N values, N = grid²) rescaled to [0,1], upsampled to the image and blended over it.</summary>
    internal static RgbImage Overlay(RgbImage image, Tensor patches, long grid)
    {
        using var scope = NewDisposeScope();
        var map = patches.detach().cpu().to(ScalarType.Float32).reshape(1, 1, grid, grid);
        var up = nn.functional.interpolate(map, new long[] { image.Height, image.Width }, mode: InterpolationMode.Bilinear, align_corners: false)[0, 0];
        var heat = RgbImage.Heatmap(up, Colormap.Spectral);
        var pixels = new byte[image.Pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)Math.Round(HeatOpacity * heat.Pixels[i] + (1 - HeatOpacity) * 0.6 * image.Pixels[i]);
        return new RgbImage(image.Width, image.Height, pixels);
    }

    /// <summary>The image, the rollout and each head, captioned.</summary>
    public string ToHtml()
    {
        var figures = new List<string>
        {
            Html.Figure(Html.Image(Image, "image", DisplaySize), "image", DisplaySize),
            Html.Figure(Html.Image(Rollout, "attention rollout", DisplaySize), "rollout (all blocks)", DisplaySize),
        };
        figures.AddRange(Heads.Select((h, i) => Html.Figure(Html.Image(h, $"head {i}", DisplaySize), $"block {Layer} · head {i}", DisplaySize)));
        return Html.Row(figures, $"cls-token attention, block {Layer} ({Heads.Count} heads), and rollout");
    }

    /// <inheritdoc/>
    public override string ToString() => $"AttentionMap: block {Layer}, {Heads.Count} heads + rollout, {Image.Width}×{Image.Height}";
}
