using Folk.Lab.Corruptions.Common;
using Folk.Lab.Data;
using Folk.Lab.Data.Transforms;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation.Robustness;

/// <summary>
/// A data set seen through one ImageNet-C corruption at one severity: each image is brought to a side × side centre
/// crop in [0,1] (<paramref name="geometry"/>), then corrupted alone with a generator seeded by (seed, index), so an
/// image is corrupted the same way whichever loader thread decodes it and whatever else is read.
/// </summary>
/// <param name="source">The clean images.</param>
/// <param name="geometry">Resize and crop to the side the corruption's constants are for (224 or 32).</param>
/// <param name="corruption">The corruption, or null for the clean images through the same geometry.</param>
/// <param name="severity">1–5 (ignored when <paramref name="corruption"/> is null).</param>
/// <param name="seed">Seed of the corruption's randomness.</param>
public sealed class CorruptedImages(IImageDataset source, IImageTransform geometry, CommonCorruption? corruption, int severity, ulong seed) : IImageDataset
{
    /// <inheritdoc/>
    public int Count => source.Count;

    /// <inheritdoc/>
    public IReadOnlyList<string> Classes => source.Classes;

    /// <inheritdoc/>
    public int LabelOf(int index) => source.LabelOf(index);

    /// <inheritdoc/>
    public ImageSample Get(int index)
    {
        using var sample = source.Get(index);
        using var scope = NewDisposeScope();
        var image = geometry.Apply(sample.Image, new Random(index));
        if (corruption is { } c)
        {
            using var generator = new Generator(SampleSeed.Of((long)seed, index, 3));
            image = CommonCorruptions.Apply(c, image.unsqueeze(0), severity, generator).squeeze(0);
        }
        var name = corruption is { } k ? $"{k.Name()}@{severity}" : "clean";
        return new ImageSample(image.contiguous().MoveToOuterDisposeScope(), sample.Label, $"{sample.Source} ({name})");
    }
}
