using Folk.Lab.Runtime;

namespace Folk.Lab.Tests.Runtime;

public class ExternalLibTorchTests
{
    [Fact]
    public void AMissingFolderIsNamedWithTheFix()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"folk-lab-no-such-{Guid.NewGuid():N}");
        var e = Assert.Throws<DirectoryNotFoundException>(() => ExternalLibTorch.Load(folder));
        Assert.Contains(folder, e.Message);
        Assert.Contains("import torch", e.Message);
    }

    [Fact]
    public void AFileThatIsNotALibraryIsNamedInTheLoadersRefusal()
    {
        var folder = Directory.CreateTempSubdirectory("folk-lab-not-libtorch-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "libc10.so"), "not a library");
            var e = Assert.Throws<DllNotFoundException>(() => ExternalLibTorch.Load(folder));
            Assert.Contains(Path.Combine(folder, "libc10.so"), e.Message);
            Assert.Contains(ExternalLibTorch.EnvironmentVariable, e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AFolderMissingARequiredLibraryNamesIt()
    {
        var folder = Directory.CreateTempSubdirectory("folk-lab-empty-").FullName;
        try
        {
            var e = Assert.Throws<FileNotFoundException>(() => ExternalLibTorch.Load(folder));
            Assert.Contains("libc10.so", e.Message);
            Assert.Contains("not a libtorch 'lib' folder", e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
