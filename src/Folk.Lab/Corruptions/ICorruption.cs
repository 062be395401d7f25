using Folk.Lab.Masks;
using static TorchSharp.torch;

namespace Folk.Lab.Corruptions;

/// <summary>
/// A way to degrade a batch of clean images into the model's input: MFM's frequency masking or one of the
/// restoration baselines it is compared with (Jiahao000/MFM <c>models/mfm.py</c> and <c>data/data_mfm.py</c>).
/// </summary>
public interface ICorruption
{
    /// <summary>Corrupts a batch.</summary>
    /// <param name="images">B×C×H×W clean images, float32 in [0,1], not normalised.</param>
    /// <param name="generator">Source of all randomness (CPU generator: reproducible on every device).</param>
    /// <param name="shard">In a data-parallel job, where these images sit in the step's global batch: randomness is
    /// drawn for the whole global batch and this process keeps its rows (<see cref="Data.BatchShard"/>).</param>
    CorruptedBatch Apply(Tensor images, Generator generator, Data.BatchShard? shard = null);
}

/// <summary>A corrupted batch, and the masks when the corruption was a frequency mask (the masked loss needs them).</summary>
/// <param name="Images">B×C×H×W, the images' dtype. Not always in [0,1]: blur and noise are not clamped, as in MFM.</param>
/// <param name="Masks">The frequency masks, or null for the restoration baselines.</param>
public sealed record CorruptedBatch(Tensor Images, MaskBatch? Masks) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        Images.Dispose();
        Masks?.Dispose();
    }
}
