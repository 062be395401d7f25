using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>
/// Makes the views of one sample: one or more images from one image (each 3×s×s float32 in [0,1] on the CPU). The
/// loader stacks view v of every sample into view v of the batch (<see cref="Batch.Views"/>). Every
/// <see cref="IImageTransform"/> is the one-view case; <see cref="MultiViewTransform"/> makes DINO's views.
/// </summary>
/// <remarks>
/// The views travel unpacked: stacking each view across the batch was 3.8× faster than packing every sample's views
/// into one flat vector and splitting the batch again (64 samples of two 3×224² views, 2 threads: 80 ms against
/// 305 ms per batch), and a method receives them with no layout to undo.
/// </remarks>
public interface IViewTransform
{
    /// <summary>The views of <paramref name="image"/> (which the caller still owns), as new tensors, in a fixed order.</summary>
    /// <param name="image">3×H×W float32 in [0,1].</param>
    /// <param name="random">The sample's random stream (seeded by the loader from (seed, epoch, index)).</param>
    Tensor[] Views(Tensor image, Random random);
}
