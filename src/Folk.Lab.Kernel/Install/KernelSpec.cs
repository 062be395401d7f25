using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Interactive.Rendering;

namespace Folk.Lab.Kernel.Install;

/// <summary>
/// A Jupyter kernelspec for this kernel: a folder named after the kernel holding kernel.json (how to start it) and a
/// 64×64 logo, placed under one of Jupyter's data folders (<c>…/share/jupyter/kernels/NAME</c>).
/// </summary>
public static class KernelSpec
{
    /// <summary>The default kernel name.</summary>
    public const string DefaultName = "folk-csharp";

    /// <summary>The name papermill and .NET Interactive notebooks use for C#.</summary>
    public const string DotnetInteractiveName = ".net-csharp";

    /// <summary>The folder that holds kernelspecs for a data folder: <c>DATA/kernels</c>.</summary>
    public static string KernelsFolder(string jupyterDataFolder) => Path.Combine(jupyterDataFolder, "kernels");

    /// <summary>
    /// The user's Jupyter data folder: JUPYTER_DATA_DIR when set, else ~/.local/share/jupyter (Linux) or
    /// ~/Library/Jupyter (macOS) or %APPDATA%\jupyter (Windows).
    /// </summary>
    public static string UserDataFolder()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } dir) return dir;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows()) return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "share") : xdg, "jupyter");
    }

    /// <summary>The data folder of an installation prefix: <c>PREFIX/share/jupyter</c>.</summary>
    public static string PrefixDataFolder(string prefix) => Path.Combine(Path.GetFullPath(prefix), "share", "jupyter");

    /// <summary>The command line that starts this process's own kernel: the apphost, or <c>dotnet folk-lab.dll</c>.</summary>
    public static IReadOnlyList<string> LauncherArgv()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running.");
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && !string.IsNullOrEmpty(entry) ? [process, entry] : [process];
    }

    /// <summary>kernel.json for <paramref name="launcher"/>.</summary>
    public static JsonObject KernelJson(IReadOnlyList<string> launcher, string displayName)
    {
        var argv = new JsonArray();
        foreach (var arg in launcher.Concat(["kernel", "--connection-file", "{connection_file}"])) argv.Add(arg);
        return new JsonObject
        {
            ["argv"] = argv,
            ["display_name"] = displayName,
            ["language"] = "csharp",
            ["interrupt_mode"] = "message",
            // Every cell is a fresh Roslyn compilation, and the Roslyn assemblies are IL only. With tiered compilation
            // the compiler runs as unoptimised tier-0 code for the first dozens of cells while the tier-1 rejits compete
            // with it for the CPU (a 1+1 cell: ~20-30 ms of compiling, more on a busy machine); jitting it optimised
            // once, during the start-up warm-up and the first cell, makes every later cell ~6 ms. The first cell pays
            // for that (seconds), which it already did for loading the compiler.
            ["env"] = new JsonObject { ["DOTNET_TieredCompilation"] = "0" },
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
    }

    /// <summary>Writes the kernelspec <paramref name="name"/> into <paramref name="dataFolder"/> and returns its folder.</summary>
    public static string Install(string dataFolder, string name, string displayName, IReadOnlyList<string> launcher)
    {
        if (name.Length == 0 || name.IndexOfAny(['/', '\\', ' ']) >= 0)
            throw new ArgumentException($"--name '{name}' is not a valid kernel name; use letters, digits, '.', '-' or '_'.", nameof(name));
        var folder = Path.Combine(KernelsFolder(dataFolder), name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "kernel.json"),
            KernelJson(launcher, displayName).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.WriteAllBytes(Path.Combine(folder, "logo-64x64.png"), Png.Encode(Logo(64)));
        return folder;
    }

    /// <summary>Removes the kernelspec <paramref name="name"/>; false when it was not there.</summary>
    public static bool Uninstall(string dataFolder, string name)
    {
        var folder = Path.Combine(KernelsFolder(dataFolder), name);
        if (!File.Exists(Path.Combine(folder, "kernel.json"))) return false;
        Directory.Delete(folder, recursive: true);
        return true;
    }

    /// <summary>
    /// True when the kernelspec <paramref name="name"/> in <paramref name="dataFolder"/> was written by
    /// <see cref="Install"/> (it starts <c>folk-lab kernel</c>), not by .NET Interactive or another tool.
    /// </summary>
    public static bool IsOurs(string dataFolder, string name)
    {
        var file = Path.Combine(KernelsFolder(dataFolder), name, "kernel.json");
        if (!File.Exists(file)) return false;
        try
        {
            var argv = JsonNode.Parse(File.ReadAllText(file))?["argv"]?.AsArray().Select(a => a?.GetValue<string>() ?? "").ToList() ?? [];
            var launcher = argv.TakeWhile(a => a != "kernel").ToList();
            return launcher.Count > 0 && launcher.Count < argv.Count && argv.Skip(launcher.Count).Take(2).SequenceEqual(["kernel", "--connection-file"])
                   && launcher.Any(a => Path.GetFileNameWithoutExtension(a) == "folk-lab");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { return false; }
    }

    /// <summary>The logo: a low-pass disc inside a ring (a radial frequency mask), violet on white.</summary>
    public static RgbImage Logo(int size)
    {
        var pixels = new byte[size * size * 3];
        double c = (size - 1) / 2.0;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double r = Math.Sqrt((x - c) * (x - c) + (y - c) * (y - c)) / c;
                (byte R, byte G, byte B) colour = r < 0.42 ? ((byte)104, (byte)33, (byte)122)
                    : r is > 0.62 and < 0.9 ? ((byte)155, (byte)79, (byte)150) : ((byte)255, (byte)255, (byte)255);
                int i = 3 * (y * size + x);
                pixels[i] = colour.R; pixels[i + 1] = colour.G; pixels[i + 2] = colour.B;
            }
        return new RgbImage(size, size, pixels);
    }
}
