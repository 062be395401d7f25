using static TorchSharp.torch;

namespace Folk.Lab.Corruptions.Common;

/// <summary>One ImageNet-C family (noise, blur, weather, digital): the corruptions it owns and how to apply each.</summary>
public interface ICorruptionFamily
{
    /// <summary>The family.</summary>
    CorruptionFamily Family { get; }

    /// <summary>Its corruptions, in the benchmark's order.</summary>
    IReadOnlyList<CommonCorruption> Members { get; }

    /// <summary>Corrupts a batch. Called through <see cref="CommonCorruptions.Apply"/>, which has checked the arguments.</summary>
    /// <param name="corruption">One of <see cref="Members"/>.</param>
    /// <param name="images">B×3×H×W float32 on the CPU, in [0,1], H = W = 224 or 32 as <paramref name="constants"/> says.</param>
    /// <param name="severity">1…5.</param>
    /// <param name="constants">The table of per-severity constants for this side.</param>
    /// <param name="generator">A CPU generator: all randomness comes from it, image after image.</param>
    /// <returns>A new B×3×H×W float32 tensor in [0,1].</returns>
    Tensor Apply(CommonCorruption corruption, Tensor images, int severity, CorruptionConstants constants, Generator generator);
}
