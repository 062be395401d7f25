using Folk.Lab.Data.Transforms;
using static TorchSharp.torch;

namespace Folk.Lab.Data.Segmentation;

/// <summary>
/// One step of a semantic-segmentation input pipeline: an image and its class map in, both transformed alike out
/// (a crop cuts both at the same place, a flip mirrors both; the map is resampled by nearest neighbour). All randomness
/// comes from <c>random</c>, which the loader seeds per sample from (seed, epoch, index). Given to a
/// <see cref="DataLoader"/>, it runs on every sample's image and <see cref="ImageSample.Segmentation"/> and the batch
/// carries the transformed maps in <see cref="Batch.Segmentation"/>.
/// </summary>
public interface ISegmentationTransform : IViewTransform
{
    /// <summary>Transforms <paramref name="sample"/> (which the caller still owns) into new tensors.</summary>
    SegmentedImage Apply(SegmentedImage sample, Random random);

    /// <summary>Not available: a segmentation step needs the class map (a category-balanced crop reads it).</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    Tensor[] IViewTransform.Views(Tensor image, Random random) =>
        throw new InvalidOperationException($"{GetType().Name} transforms an image together with its class map; call Apply with both (the data set must give ImageSample.Segmentation).");
}
