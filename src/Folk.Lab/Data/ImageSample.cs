using static TorchSharp.torch;

namespace Folk.Lab.Data;

/// <summary>One decoded image.</summary>
/// <param name="Image">3×H×W float32 in [0,1], on the CPU (grayscale sources are repeated to three channels; a grey
/// reader asked for <see cref="GreyChannels.Single"/> gives 1×H×W, for raw-pixel work only).</param>
/// <param name="Label">Class index, or −1 when unlabelled.</param>
/// <param name="Source">Where it came from (a path, "cifar10:test_batch.bin#17", "synthetic#3"), for error messages.</param>
/// <param name="Segmentation">Optional H×W int64 per-pixel class map (<see cref="SegmentationLabels.Ignore"/>, 255, where a
/// pixel has no class), for segmentation.</param>
public sealed record ImageSample(Tensor Image, int Label, string Source, Tensor? Segmentation = null) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        Image.Dispose();
        Segmentation?.Dispose();
    }
}
