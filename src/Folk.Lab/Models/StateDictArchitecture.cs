using System.Text.RegularExpressions;
namespace Folk.Lab.Models;

/// <summary>
/// The Folk.Lab encoder a state dict under Folk.Lab's names (<see cref="IO.StateDictMap"/>) was saved from, read off its
/// shapes: a ViT's width, patch, grid and depth, or a ResNet-50's stages.
/// </summary>
/// <param name="Model">A <see cref="ModelCatalog"/> name.</param>
/// <param name="ImageSize">Input side: a ViT's position grid × patch; 224 for a ResNet, whose weights do not fix it
/// (MFM pre-trains ResNet-50 at 224², arXiv 2206.07706 §4.1).</param>
/// <param name="PatchSize">A ViT's patch side; null for a ResNet.</param>
/// <param name="Depth">A ViT's blocks when they differ from the catalog's 12; else null.</param>
public sealed record StateDictArchitecture(string Model, int ImageSize, int? PatchSize, int? Depth)
{
    static readonly Dictionary<long, string> VitByWidth = new()
    {
        [VisionTransformerConfig.Tiny16.EmbedDim] = "vit-t",
        [VisionTransformerConfig.Small16.EmbedDim] = "vit-s",
        [VisionTransformerConfig.Base16.EmbedDim] = "vit-b",
    };

    static readonly Regex Block = new(@"^blocks\.(\d+)\.", RegexOptions.Compiled);
    static readonly Regex Bottleneck = new(@"^layer([1-4])\.(\d+)\.conv3\.weight$", RegexOptions.Compiled);

    /// <summary>Reads the architecture of <paramref name="shapes"/> (name → shape); <paramref name="source"/> names the
    /// file in errors.</summary>
    /// <exception cref="InvalidDataException">The names fit no Folk.Lab encoder, or a ViT of a width the catalog lacks.</exception>
    public static StateDictArchitecture Infer(IReadOnlyDictionary<string, long[]> shapes, string source)
    {
        if (shapes.TryGetValue("patch_embed.proj.weight", out var patch)) return Vit(shapes, patch, source);
        if (shapes.ContainsKey("conv1.weight") && shapes.Keys.Any(k => k.StartsWith("layer4.", StringComparison.Ordinal))) return ResNet50(shapes, source);
        throw new InvalidDataException(
            $"{source}: no encoder found: a ViT has 'patch_embed.proj.weight' and a ResNet 'conv1.weight' and 'layer4.*' " +
            "(after the MFM, timm or torchvision names are mapped; 'folk-lab weights inspect' lists what the file holds).");
    }

    static StateDictArchitecture Vit(IReadOnlyDictionary<string, long[]> shapes, long[] patch, string source)
    {
        if (patch.Length != 4 || patch[1] != 3 || patch[2] != patch[3])
            throw new InvalidDataException($"{source}: patch_embed.proj.weight is {Shape.Format(patch)}, not D×3×p×p.");
        long width = patch[0];
        if (!VitByWidth.TryGetValue(width, out var model))
            throw new InvalidDataException($"{source}: a ViT {width} wide; Folk.Lab builds {string.Join(", ", VitByWidth.Select(v => $"{v.Value} ({v.Key})"))}.");
        if (!shapes.TryGetValue("pos_embed", out var position) || position.Length != 3 || position[2] != width)
            throw new InvalidDataException($"{source}: a ViT needs pos_embed of 1×(1+h·w)×{width}" +
                                           (position is null ? ", and has none (fixed sin-cos or relative position embeddings are not read)." : $"; it is {Shape.Format(position)}."));
        long grid = (long)Math.Round(Math.Sqrt(position[1] - 1));
        if (grid * grid != position[1] - 1)
            throw new InvalidDataException($"{source}: pos_embed holds {position[1] - 1} patch positions, not a square grid (plus the class token).");
        int depth = shapes.Keys.Select(k => Block.Match(k)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1).DefaultIfEmpty(0).Max();
        if (depth == 0) throw new InvalidDataException($"{source}: a ViT without blocks.* .");
        return new StateDictArchitecture(model, checked((int)(grid * patch[2])), (int)patch[2], depth == VisionTransformerConfig.Base16.Depth ? null : depth);
    }

    static StateDictArchitecture ResNet50(IReadOnlyDictionary<string, long[]> shapes, string source)
    {
        var blocks = new int[4];
        foreach (var m in shapes.Keys.Select(k => Bottleneck.Match(k)).Where(m => m.Success))
        {
            int stage = m.Groups[1].Value[0] - '1';
            blocks[stage] = Math.Max(blocks[stage], int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) + 1);
        }
        if (!blocks.SequenceEqual(new[] { 3, 4, 6, 3 }))
            throw new InvalidDataException($"{source}: a ResNet with {string.Join("-", blocks)} bottleneck blocks per stage; Folk.Lab builds ResNet-50 (3-4-6-3).");
        return new StateDictArchitecture("resnet50", 224, null, null);
    }
}
