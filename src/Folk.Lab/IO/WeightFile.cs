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

    /// <summary>The name and shape of every tensor of <paramref name="path"/>, and what would be left out of a checkpoint,
    /// from its header or pickle alone: no tensor's bytes are read (a 350 MB ViT-B is opened without reading 350 MB).
    /// Refuses what <see cref="Read"/> refuses that the header already shows (an unsafe pickle).</summary>
    public static (Dictionary<string, long[]> Shapes, IReadOnlyList<string> Skipped) ReadShapes(string path, bool skipObjects = false)
    {
        switch (Format(path))
        {
            case "safetensors": return (SafeTensors.ReadShapes(path), Array.Empty<string>());
            case "npz": return (Npz.ReadShapes(path), Array.Empty<string>());
            default:
                var (tensors, skipped) = Pth.Pth.Inspect(path, skipObjects);
                return (tensors.ToDictionary(t => t.Name, t => t.Shape), skipped);
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
