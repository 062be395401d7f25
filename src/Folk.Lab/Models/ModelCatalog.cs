using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>Encoders by their command-line names.</summary>
public static class ModelCatalog
{
    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "vit-t", "vit-s", "vit-b", "resnet50" };

    /// <summary>
    /// Builds an encoder: "vit-t", "vit-s", "vit-b" (patch 16 unless <paramref name="patchSize"/> is given) or
    /// "resnet50", for images of <paramref name="imageSize"/> pixels.
    /// </summary>
    public static Encoder Create(string name, int imageSize, int? patchSize = null, double dropPath = 0, int? depth = null)
    {
        var vit = VisionTransformerFor(name, imageSize, patchSize, dropPath, depth);
        if (vit is null)
        {
            if (imageSize % 32 != 0) throw new ArgumentException($"ResNet-50 needs an image size divisible by 32; got {imageSize}.", nameof(imageSize));
            return new ResNet();
        }
        return new VisionTransformer(vit);
    }

    /// <summary>
    /// The fine-tuning form of <paramref name="name"/> with a head of <paramref name="classes"/> outputs: a ViT with mean
    /// pooling, <c>fc_norm</c> and stochastic depth <paramref name="dropPath"/> (MFM configs/*/finetune__*.yaml:
    /// USE_MEAN_POOLING True, DROP_PATH_RATE 0.1), initialised for fine-tuning; or timm's ResNet-50 classifier.
    /// </summary>
    public static Encoder CreateClassifier(string name, int imageSize, int classes, int? patchSize = null, double dropPath = 0.1, int? depth = null)
    {
        Guard.Positive(classes, nameof(classes));
        var vit = VisionTransformerFor(name, imageSize, patchSize, dropPath, depth);
        if (vit is null)
        {
            if (imageSize % 32 != 0) throw new ArgumentException($"ResNet-50 needs an image size divisible by 32; got {imageSize}.", nameof(imageSize));
            return new ResNet(classes: classes, dropPath: dropPath);
        }
        return new VisionTransformer(vit with { MeanPooling = true, Classes = classes });
    }

    /// <summary>The ViT configuration <see cref="Create"/> builds for <paramref name="name"/>; null for "resnet50".</summary>
    public static VisionTransformerConfig? VisionTransformerFor(string name, int imageSize, int? patchSize = null, double dropPath = 0, int? depth = null)
    {
        VisionTransformerConfig? vit = name switch
        {
            "vit-t" => VisionTransformerConfig.Tiny16,
            "vit-s" => VisionTransformerConfig.Small16,
            "vit-b" => VisionTransformerConfig.Base16,
            "resnet50" => null,
            _ => throw new ArgumentException($"Unknown model '{name}'; use one of: {string.Join(", ", Names)}.", nameof(name)),
        };
        return vit is null ? null : vit with { ImageSize = imageSize, PatchSize = patchSize ?? vit.PatchSize, DropPath = dropPath, Depth = depth ?? vit.Depth };
    }
}
