using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>Options of DINO's view augmentation as FOLK uses it.</summary>
/// <remarks>Defaults: DINO main_dino.py <c>DataAugmentationDINO</c> (global crops scale (0.4, 1), local crops 96 px,
/// scale (0.05, 0.4)), with FOLK's two views and no local crops (FOLK paper, arXiv 2409.10362: Fig. 3 shows exactly two
/// views; ambiguity #8).</remarks>
public sealed record MultiViewOptions
{
    /// <summary>Side of the global views (DINO <c>global_crops</c>: 224).</summary>
    public int Size { get; init; } = 224;

    /// <summary>RandomResizedCrop area range of the global views (DINO <c>--global_crops_scale</c> default (0.4, 1)).</summary>
    public (double Min, double Max) GlobalScale { get; init; } = (0.4, 1.0);

    /// <summary>Local crops per image (ambiguity #8: none; DINO's multi-crop uses 8).</summary>
    public int LocalCrops { get; init; }

    /// <summary>Side of the local views (DINO: 96).</summary>
    public int LocalSize { get; init; } = 96;

    /// <summary>RandomResizedCrop area range of the local views (DINO <c>--local_crops_scale</c> default (0.05, 0.4)).</summary>
    public (double Min, double Max) LocalScale { get; init; } = (0.05, 0.4);

    /// <summary>Smallest σ of the Gaussian blur in pixels (DINO utils.py <c>GaussianBlur(radius_min=0.1)</c>, at 224²).</summary>
    public double BlurSigmaMin { get; init; } = 0.1;

    /// <summary>Largest σ of the Gaussian blur in pixels (DINO utils.py <c>GaussianBlur(radius_max=2.0)</c>, at 224²).</summary>
    public double BlurSigmaMax { get; init; } = 2.0;

    /// <summary>The layout of the samples this produces.</summary>
    public ViewLayout Layout => ViewLayout.Of(Size, 2, LocalCrops, LocalSize);
}

/// <summary>
/// Makes several augmented views of one image (<see cref="ViewLayout"/>): DINO's
/// <c>DataAugmentationDINO</c> without its normalisation (FOLK filters the [0,1] views before normalising,
/// in MFM's order). Global view 1: crop, flip, colour jitter (p 0.8), grayscale (p 0.2), blur (p 1.0);
/// global view 2: the same with blur p 0.1 and solarisation p 0.2; local views: crop, flip, jitter, grayscale, blur
/// p 0.5. Views are drawn in order from the sample's own random stream, so they are reproducible.
/// </summary>
public sealed class MultiViewTransform : IViewTransform
{
    /// <summary>One transform per view, global views first.</summary>
    public IReadOnlyList<IImageTransform> Transforms { get; }

    /// <summary>The views it makes.</summary>
    public ViewLayout Layout { get; }

    /// <summary>Views made by the given transforms (each must return 3×s×s with s from <paramref name="layout"/>).</summary>
    public MultiViewTransform(IReadOnlyList<IImageTransform> views, ViewLayout layout)
    {
        if (views.Count != layout.Views) throw new ArgumentException($"{views.Count} transforms for {layout.Views} views.", nameof(views));
        Transforms = views;
        Layout = layout;
    }

    /// <summary>DINO's views (main_dino.py <c>DataAugmentationDINO</c>) without normalisation.</summary>
    public static MultiViewTransform Dino(MultiViewOptions? options = null)
    {
        options ??= new MultiViewOptions();
        IImageTransform Crop(int size, (double, double) scale) => new RandomResizedCrop(new RandomResizedCropOptions { Size = size, Scale = scale });
        IImageTransform[] FlipAndColour() => new IImageTransform[] { new RandomHorizontalFlip(), RandomApply.DinoColorJitter, new RandomGrayscale(0.2) };
        IImageTransform Blur(double p) => new GaussianBlur(p, options.BlurSigmaMin, options.BlurSigmaMax);
        var global1 = new Compose(new[] { Crop(options.Size, options.GlobalScale) }.Concat(FlipAndColour()).Append(Blur(1.0)).ToArray());
        var global2 = new Compose(new[] { Crop(options.Size, options.GlobalScale) }.Concat(FlipAndColour()).Append(Blur(0.1)).Append(new Solarize(0.2)).ToArray());
        var local = new Compose(new[] { Crop(options.LocalSize, options.LocalScale) }.Concat(FlipAndColour()).Append(Blur(0.5)).ToArray());
        var views = new List<IImageTransform> { global1, global2 };
        for (int i = 0; i < options.LocalCrops; i++) views.Add(local);
        return new MultiViewTransform(views, options.Layout);
    }

    /// <inheritdoc/>
    /// <returns>One 3×s×s float32 tensor per view of <see cref="Layout"/>, global views first.</returns>
    public Tensor[] Views(Tensor image, Random random)
    {
        SingleImage.Check(image, nameof(image));
        ArgumentNullException.ThrowIfNull(random);
        var views = new Tensor[Transforms.Count];
        try
        {
            for (int v = 0; v < Transforms.Count; v++) views[v] = Transforms[v].Apply(image, random);
            return views;
        }
        catch
        {
            foreach (var v in views) v?.Dispose();
            throw;
        }
    }
}
