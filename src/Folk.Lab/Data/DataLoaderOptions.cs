namespace Folk.Lab.Data;

/// <summary>What to do with an image that cannot be decoded.</summary>
public enum CorruptImagePolicy
{
    /// <summary>Stop with an <see cref="ImageDecodeException"/> naming the file (default: nothing is silently lost).</summary>
    Fail,

    /// <summary>Leave the image out of its batch, count it, and list it in <see cref="DataLoader.Skipped"/>.</summary>
    Skip,
}

/// <summary>On what pixels the loader runs an image file's augmentation.</summary>
public enum Resampling
{
    /// <summary>
    /// Default. On the file's 8-bit pixels, when the dataset reads files (<see cref="IEncodedImageDataset"/>) and the
    /// transform has an 8-bit form (<see cref="Transforms.IEightBitTransform"/>: RandomResizedCrop, RandomHorizontalFlip
    /// and compositions of them, i.e. the MFM pre-training augmentation); otherwise as <see cref="Float"/>. This is how
    /// MFM's own pipeline runs (data/data_mfm.py: PIL transforms an 8-bit image, then <c>ToTensor</c>), and it takes a half
    /// to a third of the processor time: only the crop is resampled and only the 224² result is converted to float
    /// (<c>folk-lab bench data</c>, 500×375 JPEGs on 2 cores: 2.7–3.8 CPU ms per image against 6.5–8.6). The
    /// resampled values are rounded to 8 bits after each of the two resampling passes, as PIL does, so they differ
    /// from <see cref="Float"/>'s by about 0.3 of a level on average and by up to about 15 levels where bicubic
    /// overshoots at hard edges (tests/Folk.Lab.Tests/Data/EightBitPathTests.cs).
    /// </summary>
    EightBit,

    /// <summary>On the decoded float32 image: torchvision's tensor path, which the transforms' parity tests check.</summary>
    Float,
}

/// <summary>Options of the <see cref="DataLoader"/>.</summary>
public sealed record DataLoaderOptions
{
    /// <summary>Images per batch (MFM DATA.BATCH_SIZE = 128 per GPU).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>A new random order every epoch (MFM: DistributedSampler(shuffle=True)).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Repeated augmentation (Hoffer et al. 2020; timm <c>--aug-repeats</c>): each epoch draws N / r images and
    /// augments each r times (1: off, MFM; 3: the "ResNet strikes back" A2 recipe). See <see cref="DataLoader.Order"/>.</summary>
    public int RepeatedAugmentations { get; init; } = 1;

    /// <summary>Drop the last incomplete batch (MFM: drop_last=True).</summary>
    public bool DropLast { get; init; } = true;

    /// <summary>Decoding threads (default: every core).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Batches prepared ahead of the consumer.</summary>
    public int Prefetch { get; init; } = 4;

    /// <summary>Seed of the order and of every sample's augmentation.</summary>
    public long Seed { get; init; }

    /// <summary>On what pixels image files are augmented (default: 8-bit where the transform allows, as MFM's PIL pipeline).</summary>
    public Resampling Resampling { get; init; } = Resampling.EightBit;

    /// <summary>Unreadable images (default: fail naming the file).</summary>
    public CorruptImagePolicy CorruptImages { get; init; } = CorruptImagePolicy.Fail;

    /// <summary>This process's share of a data-parallel job (default: the whole of every batch). With P processes, a
    /// step's batch is <see cref="BatchSize"/> × P images of the epoch's order and process r loads rows
    /// [r·BatchSize, (r+1)·BatchSize) of it.</summary>
    public ProcessShare Share { get; init; } = ProcessShare.Whole;
}
