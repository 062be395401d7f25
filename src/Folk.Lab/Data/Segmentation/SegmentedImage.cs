using static TorchSharp.torch;

namespace Folk.Lab.Data.Segmentation;

/// <summary>An image and its per-pixel class map, as the joint transforms (<see cref="ISegmentationTransform"/>) pass
/// them on.</summary>
/// <param name="Image">3×H×W float32 on the CPU (in [0,1] until a normalising step).</param>
/// <param name="Mask">H×W int64 class indices, <see cref="SegmentationLabels.Ignore"/> where a pixel has none.</param>
public sealed record SegmentedImage(Tensor Image, Tensor Mask) : IDisposable
{
    /// <summary>Checks the pair's shapes and dtypes: one 3×H×W floating-point image and an H×W int64 map.</summary>
    /// <exception cref="ArgumentException">Names the tensor, its shape or dtype and what is expected.</exception>
    public void Check(string name)
    {
        if (Image.dim() != 3 || Image.shape[0] != 3 || !is_floating_point(Image))
            throw new ArgumentException($"{name}.Image must be one 3×H×W floating-point image; got {Shape.Format(Image)} {Image.dtype}.", name);
        if (Mask.dim() != 2 || Mask.dtype != ScalarType.Int64)
            throw new ArgumentException($"{name}.Mask must be an H×W int64 class map; got {Shape.Format(Mask)} {Mask.dtype}.", name);
        if (Mask.shape[0] != Image.shape[1] || Mask.shape[1] != Image.shape[2])
            throw new ArgumentException($"{name}: the class map is {Shape.Format(Mask)} but the image is {Shape.Format(Image)}; they must cover the same pixels.", name);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Image.Dispose();
        Mask.Dispose();
    }
}
