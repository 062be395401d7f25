using static TorchSharp.torch;

namespace Folk.Lab.Masks;

/// <summary>
/// A strategy that chooses, for each image of a batch, which frequencies the encoder gets to see.
/// </summary>
/// <remarks>
/// Masks are in shifted (fftshift-ed) layout with 1 = kept and 0 = removed (to be predicted), as in MFM. Sampling is
/// deterministic given the generator: every random choice comes from the generator passed in and never from
/// the global RNG. Per-image choices are drawn where the generator lives (normally the CPU, which also makes runs
/// reproducible across devices) and the masks are built with tensor operations on the images' device.
/// </remarks>
public interface IFrequencyMask
{
    /// <summary>Samples one mask per image.</summary>
    /// <param name="images">B×C×H×W batch, float32 in [0,1]. Content-blind strategies read only its shape and device.</param>
    /// <param name="generator">Source of all randomness.</param>
    /// <param name="shard">In a data-parallel job, where these images sit in the step's global batch: per-image choices
    /// are drawn for the whole global batch and this process keeps its rows (<see cref="Data.BatchShard"/>).</param>
    MaskBatch Sample(Tensor images, Generator generator, Data.BatchShard? shard = null);
}
