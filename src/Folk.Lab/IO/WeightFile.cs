using Folk.Lab.IO.Pth;
using static TorchSharp.torch;

namespace Folk.Lab.IO;

/// <summary>A state dict in any of the formats Folk.Lab reads, told apart by the file's extension: <c>.safetensors</c>,
/// <c>.npz</c>, else PyTorch's <c>.pth</c> (read without running anything, <see cref="Pth.Pth"/>).</summary>
public static class WeightFile
{
    /// <summary>"safetensors", "npz" or "pth".</summary>
    public static string Format(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".safetensors" => "safetensors",
        ".npz" => "npz",
        _ => "pth",
    };

    /// <summary>The tensors of <paramref name="path"/> (CPU, the caller disposes them) and what was left out of a
    /// checkpoint; <paramref name="skipObjects"/> as <see cref="Pth.Pth.Read"/>.</summary>
    public static (Dictionary<string, Tensor> Tensors, IReadOnlyList<string> Skipped) Read(string path, bool skipObjects = false)
    {
        switch (Format(path))
        {
            case "safetensors": return (SafeTensors.Read(path).Tensors, Array.Empty<string>());
            case "npz": return (Npz.Read(path), Array.Empty<string>());
            default:
                var checkpoint = Pth.Pth.Read(path, skipObjects);
                return (checkpoint.Tensors, checkpoint.Skipped);
        }
    }

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> atomically in the format its extension names.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        switch (Format(path))
        {
            case "safetensors": SafeTensors.Write(path, tensors); break;
            case "npz": Npz.Write(path, tensors); break;
            default: Pth.Pth.Write(path, tensors); break;
        }
    }
}
