using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>
/// One augmentation or preprocessing step on a single image: 3×H×W float32 in [0,1] on the CPU in, the same out
/// (possibly of another size). All randomness comes from <c>random</c>, which the loader seeds per sample from
/// (seed, epoch, index), so augmentations are reproducible whatever thread runs them.
/// </summary>
public interface IImageTransform : IViewTransform
{
    /// <summary>Transforms <paramref name="image"/> (which the caller still owns) into a new tensor.</summary>
    Tensor Apply(Tensor image, Random random);

    /// <summary>One view: the transformed image.</summary>
    Tensor[] IViewTransform.Views(Tensor image, Random random) => new[] { Apply(image, random) };
}
