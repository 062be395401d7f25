using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>
/// A transform that can also run on 8-bit pixels, as PIL runs torchvision's transforms on the images of an
/// ImageFolder (MFM data/data_mfm.py: <c>RandomResizedCrop</c> and <c>RandomHorizontalFlip</c> on a PIL image, then
/// <c>ToTensor</c>). The loader takes this path for files (<see cref="IEncodedImageDataset"/>) when
/// <see cref="DataLoaderOptions.Resampling"/> is <see cref="Resampling.EightBit"/>: it decodes into 8-bit pixels,
/// runs <see cref="ApplyEightBit"/>, and converts only the small result to float32 in [0,1].
/// </summary>
/// <remarks>
/// Both paths draw the same random numbers in the same order, so they crop the same boxes and make the same flips;
/// the pixels differ only by the 8-bit rounding of the resampled values (at most a few levels where bicubic
/// overshoots; see <see cref="Resampling"/>).
/// </remarks>
public interface IEightBitTransform : IImageTransform
{
    /// <summary>True when <see cref="ApplyEightBit"/> can run (a composition: when every step can).</summary>
    bool SupportsEightBit => true;

    /// <summary>Transforms C×H×W uint8 pixels (C = 3 or 4: RGB, or RGBA whose alpha is carried along; any strides,
    /// which the caller still owns) into a new C×h×w uint8 tensor.</summary>
    Tensor ApplyEightBit(Tensor pixels, Random random);
}
