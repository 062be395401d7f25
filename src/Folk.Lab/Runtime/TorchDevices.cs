using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Runtime;

/// <summary>What this process's libtorch can run on.</summary>
/// <param name="CudaAvailable">Whether CUDA initialised.</param>
/// <param name="CudaDevices">CUDA devices visible.</param>
/// <param name="Threads">CPU threads torch uses for intra-op parallelism.</param>
/// <param name="ExternalLibTorch">Libraries loaded through <see cref="ExternalLibTorch"/> (empty: the bundled libtorch).</param>
public sealed record TorchEnvironment(bool CudaAvailable, int CudaDevices, int Threads, IReadOnlyList<string> ExternalLibTorch);

/// <summary>
/// Device selection: turns "cpu", "cuda" or "cuda:N" into a device with an error that says what to do when CUDA is
/// missing, and switches on what a CUDA run should have (TF32 matmuls and convolutions for the float32 parts, as
/// PyTorch's recommended setting for Ampere and later).
/// </summary>
public static class TorchDevices
{
    /// <summary>What the runtime offers.</summary>
    public static TorchEnvironment Describe()
    {
        bool cuda = torch.cuda.is_available();
        return new TorchEnvironment(cuda, cuda ? torch.cuda.device_count() : 0, torch.get_num_threads(), Runtime.ExternalLibTorch.Loaded);
    }

    /// <summary>The device <paramref name="name"/> names; CUDA devices get TF32 switched on.</summary>
    /// <exception cref="ArgumentException">The name is not a device, or CUDA (or that CUDA device) is not available.</exception>
    public static Device Resolve(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("The device name is empty: use cpu, cuda or cuda:N.", nameof(name));
        var text = name.Trim().ToLowerInvariant();
        if (text == "cpu") return CPU;
        if (text != "cuda" && !text.StartsWith("cuda:", StringComparison.Ordinal))
            throw new ArgumentException($"Unknown device '{name}': use cpu, cuda or cuda:N.", nameof(name));
        if (!torch.cuda.is_available())
            throw new ArgumentException(
                $"Device '{name}': CUDA is not available to this process. The bundled libtorch is CPU-only; publish with " +
                $"-p:FolkLabBundleLibTorch=false and set {Runtime.ExternalLibTorch.EnvironmentVariable} to a CUDA libtorch's lib folder " +
                "(scripts/gpu/README.md), or use --device cpu.", nameof(name));
        int index = text == "cuda" ? 0 : int.TryParse(text[5..], out var i) ? i : throw new ArgumentException($"Unknown device '{name}': the index after 'cuda:' must be a number.", nameof(name));
        int count = torch.cuda.device_count();
        if (index < 0 || index >= count)
            throw new ArgumentException($"Device '{name}': this machine has {count} CUDA device(s), numbered from 0.", nameof(name));
        EnableTensorFloat32();
        return torch.device(DeviceType.CUDA, index);
    }

    /// <summary>TF32 for float32 matmuls and cuDNN convolutions (off by default in TorchSharp).</summary>
    public static void EnableTensorFloat32()
    {
        torch.backends.cuda.matmul.allow_tf32 = true;
        torch.backends.cudnn.allow_tf32 = true;
    }
}
