using Folk.Lab.Models;

namespace Folk.Lab.Evaluation;

/// <summary>
/// Pre-trained encoder weights as the downstream protocols take them: a Folk.Lab pre-training run folder
/// (<see cref="PretrainedRun"/>) or a weights file (<see cref="PretrainedWeights"/>: a <c>.pth</c> of the official MFM
/// code, timm or torchvision, a <c>.safetensors</c> or an <c>.npz</c>).
/// </summary>
public interface IPretrainedEncoder
{
    /// <summary>The run folder or the file, as the user gave it.</summary>
    string Location { get; }

    /// <summary>The method row results are filed under ("mfm", "folk", … for a run; see <see cref="PretrainedWeights.Method"/>).</summary>
    string Method { get; }

    /// <summary>The architecture, a <see cref="ModelCatalog"/> name.</summary>
    string Model { get; }

    /// <summary>Input side in pixels (a ViT's position embedding fixes it).</summary>
    int ImageSize { get; }

    /// <summary>ViT patch side (null: the model's default).</summary>
    int? PatchSize { get; }

    /// <summary>ViT blocks (null: the model's default).</summary>
    int? Depth { get; }

    /// <summary>Loads the weights of <paramref name="part"/> into <paramref name="model"/> (the pre-training or the
    /// fine-tuning form of <see cref="Model"/>) under MFM's fine-tuning rules; returns where they came from.</summary>
    EncoderSource LoadInto(Encoder model, EncoderPart part = EncoderPart.Exported);

    /// <summary>Opens <paramref name="location"/>: a folder as a <see cref="PretrainedRun"/>, a file as
    /// <see cref="PretrainedWeights"/>.</summary>
    /// <exception cref="FileNotFoundException">Neither exists.</exception>
    public static IPretrainedEncoder Open(string location)
    {
        if (Directory.Exists(location)) return PretrainedRun.Open(location);
        if (File.Exists(location)) return PretrainedWeights.Open(location);
        throw new FileNotFoundException(
            $"{location}: no such run folder or weights file (give the --out folder of folk-lab pretrain, a .pth, .safetensors or .npz file, or 'random').", location);
    }
}
