using Folk.Lab.Frequency;
using Folk.Lab.Masks;
using static TorchSharp.torch;

namespace Folk.Lab.Corruptions;

/// <summary>
/// MFM's corruption: sample a frequency mask per image and filter the image with it, clamped to [0,1]
/// (Jiahao000/MFM <c>models/mfm.py</c>). With <see cref="RadialMask"/> this is MFM; with <see cref="FolkMask"/> it is FOLK's filter.
/// </summary>
public sealed class MaskedFrequencyCorruption(IFrequencyMask mask) : ICorruption
{
    /// <summary>The mask strategy.</summary>
    public IFrequencyMask Mask { get; } = mask;

    /// <inheritdoc/>
    public CorruptedBatch Apply(Tensor images, Generator generator, Data.BatchShard? shard = null)
    {
        var masks = Mask.Sample(images, generator, shard);
        try
        {
            return new CorruptedBatch(FrequencyFilter.Apply(images, masks.Masks), masks);
        }
        catch
        {
            masks.Dispose();
            throw;
        }
    }
}
