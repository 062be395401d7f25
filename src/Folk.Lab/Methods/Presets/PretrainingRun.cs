using TorchSharp;
using Folk.Lab.Data;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Models;
using static TorchSharp.torch;

namespace Folk.Lab.Methods.Presets;

/// <summary>Builds what a recipe describes: the method with its encoder, and MFM's augmentation.</summary>
public static class PretrainingRun
{
    /// <summary>The method, its encoder initialised from torch's global RNG (seed it first), on <paramref name="device"/>.</summary>
    public static IPretrainingMethod CreateMethod(PretrainingRecipe recipe, Device device)
    {
        var encoder = ModelCatalog.Create(recipe.Model, recipe.ImageSize, recipe.PatchSize, depth: recipe.Depth);
        IPretrainingMethod method = recipe.Method switch
        {
            "mfm" => new Mfm(encoder, recipe.Masks.ScaledTo(recipe.ImageSize)),
            "sr" => RestorationBaseline.SuperResolution(encoder),
            "deblur" => RestorationBaseline.Deblur(encoder),
            "denoise" => RestorationBaseline.Denoise(encoder),
            "folk" => new Folk(encoder, ModelCatalog.Create(recipe.Model, recipe.ImageSize, recipe.PatchSize, depth: recipe.Depth), FolkConfig(recipe), recipe.Trainer.Epochs),
            _ => throw new ArgumentException($"Unknown method '{recipe.Method}'.", nameof(recipe)),
        };
        method.Trainable.to(device);
        return method;
    }

    /// <summary>The recipe's FOLK settings with the views and the radial masks sized to its image size.</summary>
    public static FolkConfig FolkConfig(PretrainingRecipe recipe) => recipe.Folk with
    {
        Views = recipe.Folk.Views with { Size = recipe.ImageSize },
        RadialMasks = recipe.Folk.RadialMasks.ScaledTo(recipe.ImageSize),
    };

    /// <summary>The loader transform of a recipe: FOLK's packed DINO views for "folk", MFM's crop and flip otherwise.</summary>
    public static IImageTransform Transform(PretrainingRecipe recipe) =>
        recipe.Method == "folk" ? MultiViewTransform.Dino(FolkConfig(recipe).Views) : Augmentation(recipe);

    /// <summary>MFM's pre-training augmentation (data/data_mfm.py): RandomResizedCrop(size, scale (0.2, 1), bicubic) and a
    /// horizontal flip; no colour jitter, no normalisation (the method normalises after corrupting).</summary>
    public static IImageTransform Augmentation(PretrainingRecipe recipe) => new Compose(
        new RandomResizedCrop(RandomResizedCropOptions.Mfm with { Size = recipe.ImageSize, Scale = (recipe.MinCropScale, 1.0) }),
        new RandomHorizontalFlip());
}
