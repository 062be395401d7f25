using Folk.Lab.Tests.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Folk.Lab.Kernel.Tests.Support;

/// <summary>
/// The kernel as Jupyter sees it: <c>folk-lab kernel install --prefix</c> into a temporary prefix, found by the Python
/// clients through JUPYTER_PATH, plus a folder holding copies of the test notebooks and the Greeter.dll they reference.
/// </summary>
public sealed class KernelInstallation : IDisposable
{
    public KernelInstallation()
    {
        Root = Directory.CreateTempSubdirectory("folk-lab-kernel-tests-").FullName;
        Prefix = Path.Combine(Root, "prefix");
        Work = Path.Combine(Root, "work");
        Directory.CreateDirectory(Work);
        var install = Processes.Run(FolkLab, ["kernel", "install", "--prefix", Prefix, "--name", KernelName], timeoutSeconds: 120);
        if (install.ExitCode != 0) throw new InvalidOperationException($"folk-lab kernel install failed: {install}");
        foreach (var notebook in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Notebooks"), "*.ipynb"))
            File.Copy(notebook, Path.Combine(Work, Path.GetFileName(notebook)));
        WriteGreeter(Path.Combine(Work, "Greeter.dll"));
    }

    /// <summary>The name the test kernelspec is installed under.</summary>
    public const string KernelName = "folk-csharp";

    public string Root { get; }

    /// <summary>The install prefix; kernelspecs are in PREFIX/share/jupyter/kernels.</summary>
    public string Prefix { get; }

    /// <summary>Where the notebooks run.</summary>
    public string Work { get; }

    /// <summary>The environment that makes Jupyter find the kernelspec.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["JUPYTER_PATH"] = Path.Combine(Prefix, "share", "jupyter"),
        ["JUPYTER_RUNTIME_DIR"] = Path.Combine(Root, "runtime"),
        ["PYTHONWARNINGS"] = "ignore",
    };

    /// <summary>The folk-lab program built beside the tests (same configuration).</summary>
    public static string FolkLab => BuiltCommand.FolkLab;

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>A tiny library for the <c>#r "Greeter.dll"</c> cell, compiled here so no binary is committed.</summary>
    static void WriteGreeter(string path)
    {
        var tree = CSharpSyntaxTree.ParseText("public static class Greeter { public static string Hello(string who) => $\"Greeter says {who}\"; }");
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Greeter", [tree], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var result = compilation.Emit(path);
        if (!result.Success) throw new InvalidOperationException(string.Join('\n', result.Diagnostics));
    }
}
