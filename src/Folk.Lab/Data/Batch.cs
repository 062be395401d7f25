using static TorchSharp.torch;

namespace Folk.Lab.Data;

/// <summary>A collated batch, on the CPU; the consumer moves it to its device.</summary>
/// <param name="Images">B×3×H×W float32.</param>
/// <param name="Labels">B int64 (−1 for unlabelled images).</param>
/// <param name="Indices">Dataset index of each image.</param>
/// <param name="Epoch">The epoch it belongs to.</param>
/// <param name="Position">Its position in the epoch (0-based batch number).</param>
/// <param name="Segmentation">B×H×W int64 per-pixel labels when the dataset has them.</param>
public sealed record Batch(Tensor Images, Tensor Labels, int[] Indices, int Epoch, int Position, Tensor? Segmentation = null) : IDisposable
{
    /// <summary>Images in the batch.</summary>
    public int Count => Indices.Length;

    /// <inheritdoc/>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
        Segmentation?.Dispose();
    }
}
