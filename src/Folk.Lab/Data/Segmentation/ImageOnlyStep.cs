using Folk.Lab.Data.Transforms;

namespace Folk.Lab.Data.Segmentation;

/// <summary>An image transform inside a segmentation pipeline: it changes the pixels' values only (photometric
/// distortion, normalisation), so the class map passes through unchanged.</summary>
/// <param name="Transform">The image step; it must keep the image's height and width.</param>
public sealed record ImageOnlyStep(IImageTransform Transform) : ISegmentationTransform
{
    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The image step changed the image's size.</exception>
    public SegmentedImage Apply(SegmentedImage sample, Random random)
    {
        sample.Check(nameof(sample));
        var image = Transform.Apply(sample.Image, random);
        if (image.shape[1] != sample.Image.shape[1] || image.shape[2] != sample.Image.shape[2])
        {
            var shape = Shape.Format(image);
            image.Dispose();
            throw new InvalidOperationException($"{Transform.GetType().Name} turned a {Shape.Format(sample.Image)} image into {shape}; only steps that keep the size can leave the class map as it is.");
        }
        return new SegmentedImage(image, sample.Mask.alias());
    }
}
