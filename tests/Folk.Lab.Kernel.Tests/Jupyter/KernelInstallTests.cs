using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Tests.Support;
using Xunit.Abstractions;

namespace Folk.Lab.Kernel.Tests.Jupyter;

/// <summary>
/// <c>folk-lab kernel install|uninstall --user</c> with HOME pointing at a temporary folder, checked with
/// <c>jupyter kernelspec list</c>.
/// </summary>
[Trait("Category", "Slow")]
public sealed class KernelInstallTests(ITestOutputHelper log) : IDisposable
{
    readonly string _home = Directory.CreateTempSubdirectory("folk-lab-kernel-home-").FullName;

    /// <summary>Only HOME says where the user's data folder is (the variables that would override it are emptied).</summary>
    Dictionary<string, string> Environment => new()
    {
        ["HOME"] = _home, ["JUPYTER_DATA_DIR"] = "", ["XDG_DATA_HOME"] = "", ["JUPYTER_PATH"] = "",
        ["JUPYTER_CONFIG_DIR"] = Path.Combine(_home, ".jupyter"), ["JUPYTER_RUNTIME_DIR"] = Path.Combine(_home, "runtime"),
        ["PYTHONWARNINGS"] = "ignore",
    };

    string Kernels => Path.Combine(_home, ".local", "share", "jupyter", "kernels");

    ProcessResult FolkLab(params string[] args)
    {
        var result = Processes.Run(KernelInstallation.FolkLab, ["kernel", .. args], Environment, _home, timeoutSeconds: 120);
        log.WriteLine(result.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    JsonObject KernelSpecList()
    {
        var result = Processes.Run(JupyterFactAttribute.Python, ["-m", "jupyter_client.kernelspecapp", "list", "--json"], Environment, _home, timeoutSeconds: 120);
        log.WriteLine(result.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.Output)!["kernelspecs"]!.AsObject();
    }

    [JupyterFact]
    public void InstallUserWritesTheKernelspecAndLogoUnderHome()
    {
        FolkLab("install", "--user");
        var folder = Path.Combine(Kernels, "folk-csharp");
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")))!.AsObject();
        Assert.Equal([KernelInstallation.FolkLab, "kernel", "--connection-file", "{connection_file}"],
            spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("C# (Folk.Lab)", spec["display_name"]!.GetValue<string>());
        Assert.Equal("csharp", spec["language"]!.GetValue<string>());
        Assert.Equal("message", spec["interrupt_mode"]!.GetValue<string>());
        var logo = Folk.Lab.Interactive.Rendering.Png.Decode(File.ReadAllBytes(Path.Combine(folder, "logo-64x64.png")));
        Assert.Equal((64, 64), (logo.Width, logo.Height));
        Assert.False(Directory.Exists(Path.Combine(Kernels, ".net-csharp")));
    }

    [JupyterFact]
    public void JupyterListsBothSpecsAfterInstallAsDotnetInteractiveAndNeitherAfterUninstall()
    {
        FolkLab("install", "--user", "--as-dotnet-interactive");
        var alias = JsonNode.Parse(File.ReadAllText(Path.Combine(Kernels, ".net-csharp", "kernel.json")))!;
        Assert.Equal("csharp", alias["language"]!.GetValue<string>());
        Assert.Equal(KernelInstallation.FolkLab, alias["argv"]![0]!.GetValue<string>());

        var listed = KernelSpecList();
        foreach (var name in new[] { "folk-csharp", ".net-csharp" })
        {
            Assert.True(listed.ContainsKey(name), $"'jupyter kernelspec list' misses {name}: {listed.ToJsonString()}");
            Assert.Equal(Path.Combine(Kernels, name), listed[name]!["resource_dir"]!.GetValue<string>());
        }
        Assert.Equal("C# (Folk.Lab)", listed["folk-csharp"]!["spec"]!["display_name"]!.GetValue<string>());

        FolkLab("uninstall", "--user");
        Assert.False(Directory.Exists(Path.Combine(Kernels, "folk-csharp")));
        Assert.False(Directory.Exists(Path.Combine(Kernels, ".net-csharp")));
        listed = KernelSpecList();
        Assert.False(listed.ContainsKey("folk-csharp"));
        Assert.False(listed.ContainsKey(".net-csharp"));
    }

    [JupyterFact]
    public void UninstallLeavesAnotherToolsDotnetCsharpKernelspecAlone()
    {
        var other = Path.Combine(Kernels, ".net-csharp");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "kernel.json"),
            """{"argv": ["dotnet", "interactive", "jupyter", "--default-kernel", "csharp", "{connection_file}"], "display_name": ".NET (C#)", "language": "C#"}""");
        FolkLab("install", "--user");
        FolkLab("uninstall", "--user");
        Assert.False(Directory.Exists(Path.Combine(Kernels, "folk-csharp")));
        Assert.True(File.Exists(Path.Combine(other, "kernel.json")));
    }

    public void Dispose()
    {
        try { Directory.Delete(_home, recursive: true); }
        catch (IOException) { }
    }
}
