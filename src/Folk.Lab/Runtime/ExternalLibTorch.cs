using System.Runtime.InteropServices;

namespace Folk.Lab.Runtime;

/// <summary>
/// Makes TorchSharp use a libtorch that is not bundled with the application: typically the CUDA build inside a PyTorch
/// installation (<c>…/site-packages/torch/lib</c>), since no CUDA libtorch package is available to bundle. The
/// libraries are loaded by full path, in dependency order, before the first use of <c>torch</c>; TorchSharp's own
/// native library then binds to them (the dynamic loader matches already-loaded libraries by soname).
/// </summary>
/// <remarks>
/// Call it first thing in <c>Main</c>, or set <see cref="EnvironmentVariable"/> and let <c>folk-lab</c> do it.
/// A build published with <c>-p:FolkLabBundleLibTorch=false</c> carries no libtorch of its own, so exactly one libtorch
/// is ever in the process (two copies crash).
/// </remarks>
public static class ExternalLibTorch
{
    /// <summary>The environment variable naming the folder that holds <c>libtorch.so</c> (and <c>libtorch_cuda.so</c>).</summary>
    public const string EnvironmentVariable = "FOLK_LAB_LIBTORCH";

    /// <summary>Load order: each library after the ones it links against. Missing optional ones are skipped.</summary>
    static readonly (string Name, bool Required)[] Libraries =
    {
        ("libc10.so", true), ("libtorch_cpu.so", true), ("libc10_cuda.so", false), ("libtorch_cuda.so", false), ("libtorch.so", true),
    };

    /// <summary>The libraries loaded so far (full paths), empty until <see cref="Load"/> ran.</summary>
    public static IReadOnlyList<string> Loaded { get; private set; } = Array.Empty<string>();

    /// <summary>Loads the libtorch in <paramref name="folder"/>; returns the paths loaded.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A required library is missing from it.</exception>
    /// <exception cref="DllNotFoundException">The loader refused a library (its message says why).</exception>
    public static IReadOnlyList<string> Load(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{EnvironmentVariable}: the folder '{folder}' does not exist. Point it at the 'lib' folder of a libtorch (e.g. python3 -c \"import torch, os; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))\").");
        var loaded = new List<string>();
        foreach (var (name, required) in Libraries)
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path))
            {
                if (required) throw new FileNotFoundException($"{EnvironmentVariable}: '{folder}' has no {name}; it is not a libtorch 'lib' folder.", path);
                continue;
            }
            try
            {
                NativeLibrary.Load(path);
            }
            catch (DllNotFoundException e)
            {
                throw new DllNotFoundException($"{EnvironmentVariable}: loading {path} failed: {e.Message}", e);
            }
            loaded.Add(path);
        }
        Loaded = loaded;
        return loaded;
    }

    /// <summary>Loads the libtorch named by <see cref="EnvironmentVariable"/>, if it is set; null when it is not.</summary>
    public static IReadOnlyList<string>? LoadFromEnvironment()
    {
        var folder = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(folder) ? null : Load(folder);
    }
}
