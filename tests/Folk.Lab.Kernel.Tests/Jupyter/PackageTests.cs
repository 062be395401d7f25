using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Tests.Support;

namespace Folk.Lab.Kernel.Tests.Jupyter;

/// <summary>One kernel restoring <c>#r "nuget: …"</c> packages for jupyter_client (scripts/kernel_checks.py nuget).</summary>
public sealed class PackageKernel() : SharedKernelCheck("nuget");

/// <summary>
/// <c>#r "nuget: Humanizer.Core, 2.14.1"</c> (restored through the machine's NuGet configuration, from its cache when
/// there) and a package that does not exist.
/// </summary>
[Trait("Category", "Slow"), Collection(JupyterCollection.Name)]
public class PackageTests(PackageKernel kernel) : IClassFixture<PackageKernel>
{
    readonly JsonObject _result = kernel.Result;

    JsonObject Cell(string name) => _result[name]!.AsObject();

    [JupyterFact]
    public void ANuGetPackageIsRestoredAndUsableInTheNextCell()
    {
        Assert.Equal("CompilationError", Cell("before")["ename"]!.GetValue<string>()); // not referenced before the #r
        Assert.Equal("ok", Cell("good")["status"]!.GetValue<string>());
        Assert.Empty(Cell("good")["errors"]!.AsArray());
        Assert.Equal("ok", Cell("use")["status"]!.GetValue<string>());
        Assert.Equal("hello world", Cell("use")["value"]![0]!.GetValue<string>()); // Humanizer 2.14: underscores to spaces, casing kept
    }

    [JupyterFact]
    public void AnUnknownPackageGivesARestoreErrorNamingItAndTheKernelCarriesOn()
    {
        var bad = Cell("bad");
        Assert.Equal("error", bad["status"]!.GetValue<string>());
        var error = bad["errors"]!.AsArray().Single()!.AsObject();
        Assert.Equal("PackageRestoreError", error["ename"]!.GetValue<string>());
        var message = error["evalue"]!.GetValue<string>();
        Assert.StartsWith("could not restore Folk.Lab.NoSuchPackage.Anywhere 1.0.0: ", message);
        Assert.Contains("NU1101", message); // NuGet's "Unable to find package"
        Assert.DoesNotContain("restore.csproj", message); // the temporary project is the kernel's business
        var traceback = error["traceback"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.DoesNotContain(traceback, l => l.Contains("Folk.Lab.Kernel.Execution", StringComparison.Ordinal));

        Assert.True(_result["alive"]!.GetValue<bool>());
        Assert.Equal("ok", Cell("after")["status"]!.GetValue<string>()); // earlier packages still referenced
        Assert.Equal("Some Title Text", Cell("after")["value"]![0]!.GetValue<string>());
    }
}
