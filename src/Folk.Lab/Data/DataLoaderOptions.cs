namespace Folk.Lab.Data;

/// <summary>What to do with an image that cannot be decoded.</summary>
public enum CorruptImagePolicy
{
    /// <summary>Stop with an <see cref="ImageDecodeException"/> naming the file (default: nothing is silently lost).</summary>
    Fail,

    /// <summary>Leave the image out of its batch, count it, and list it in <see cref="DataLoader.Skipped"/>.</summary>
    Skip,
}

/// <summary>Options of the <see cref="DataLoader"/>.</summary>
public sealed record DataLoaderOptions
{
    /// <summary>Images per batch (MFM DATA.BATCH_SIZE = 128 per GPU).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>A new random order every epoch (MFM: DistributedSampler(shuffle=True)).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Drop the last incomplete batch (MFM: drop_last=True).</summary>
    public bool DropLast { get; init; } = true;

    /// <summary>Decoding threads (default: every core).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Batches prepared ahead of the consumer.</summary>
    public int Prefetch { get; init; } = 4;

    /// <summary>Seed of the order and of every sample's augmentation.</summary>
    public long Seed { get; init; }

    /// <summary>Unreadable images (default: fail naming the file).</summary>
    public CorruptImagePolicy CorruptImages { get; init; } = CorruptImagePolicy.Fail;
}
