namespace Folk.Lab.Experiments;

/// <summary>
/// What an experiment's scale needs before anything runs. <c>"quick"</c> runs anywhere, on the built-in synthetic
/// images or on a data manifest. <c>"full"</c> is the papers' recipe: on synthetic images or a CPU it would either
/// mean nothing or take months, so it needs a data manifest and a CUDA device, and is refused otherwise with a
/// message that says what to set.
/// </summary>
/// <seealso href="../../notebooks/03-mfm-pretraining.ipynb">notebook 03, MFM pre-training</seealso>
public static class ScaleRequirements
{
    /// <summary>The CPU-sized miniature.</summary>
    public const string Quick = "quick";

    /// <summary>The papers' recipe.</summary>
    public const string Full = "full";

    /// <summary>The name of the built-in images (<see cref="Data.SyntheticImages"/>).</summary>
    public const string Synthetic = "synthetic";

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="scale"/> is "quick" or "full" and its needs are
    /// met: <paramref name="data"/> is "synthetic" or an existing data-manifests/*.json file (relative paths resolve
    /// against the current directory); at full scale it must be a manifest, and <paramref name="device"/> a CUDA device
    /// ("cuda" or "cuda:N") that this machine has.
    /// </summary>
    public static void Check(string scale, string data, string device)
    {
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(device);
        if (scale is not (Quick or Full))
            throw new ArgumentException($"Scale must be \"{Quick}\" or \"{Full}\"; got \"{scale}\".", nameof(scale));
        bool synthetic = data is Synthetic or "";
        if (scale == Full && synthetic)
            throw new ArgumentException(
                $"Full scale needs a data manifest, not synthetic images: set the data to a data-manifests/*.json file " +
                $"(ImageNet-1K for the papers' recipes: data-manifests/imagenet-1k.json) and its root to the folder holding the data set; got \"{data}\".",
                nameof(data));
        if (!synthetic && !File.Exists(data))
            throw new ArgumentException(
                $"The data \"{data}\" is neither \"{Synthetic}\" nor an existing manifest file (looked in {Directory.GetCurrentDirectory()}; see data-manifests/).",
                nameof(data));
        if (scale != Full) return;
        if (!device.StartsWith("cuda", StringComparison.Ordinal))
            throw new ArgumentException($"Full scale needs a GPU: set the device to \"cuda\" (or \"cuda:N\"); got \"{device}\".", nameof(device));
        if (!TorchSharp.torch.cuda.is_available())
            throw new ArgumentException($"Full scale needs a GPU, and the device is \"{device}\", but this machine has no CUDA device available to libtorch.", nameof(device));
    }
}
