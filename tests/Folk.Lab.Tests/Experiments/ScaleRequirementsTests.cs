using Folk.Lab.Experiments;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Experiments;

public class ScaleRequirementsTests
{
    static string Manifest => Path.Combine(RepositoryRoot.Path, "data-manifests", "imagenet-1k.json");

    [Fact]
    public void QuickRunsOnSyntheticImagesOrAManifestOnAnyDevice()
    {
        ScaleRequirements.Check("quick", "synthetic", "cpu");
        ScaleRequirements.Check("quick", Manifest, "cpu");
        ScaleRequirements.Check("quick", "synthetic", "cuda");
    }

    [Theory]
    [InlineData("synthetic", "cuda", "data", "not synthetic images")]
    [InlineData("", "cuda", "data", "not synthetic images")]
    [InlineData("MANIFEST", "cpu", "device", "needs a GPU")]
    [InlineData("MANIFEST", "", "device", "needs a GPU")]
    public void FullScaleRefusesSyntheticDataAndTheCpu(string data, string device, string parameter, string message)
    {
        if (data == "MANIFEST") data = Manifest;
        var e = Assert.Throws<ArgumentException>(() => ScaleRequirements.Check("full", data, device));
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void FullScaleWithAManifestAndCudaRunsWhereCudaIsAvailableAndIsRefusedElsewhere()
    {
        if (torch.cuda.is_available())
            ScaleRequirements.Check("full", Manifest, "cuda");
        else
            Assert.Contains("no CUDA device", Assert.Throws<ArgumentException>(() => ScaleRequirements.Check("full", Manifest, "cuda")).Message);
    }

    [Theory]
    [InlineData("medium", "synthetic", "scale")]
    [InlineData("quick", "no-such-manifest.json", "data")]
    [InlineData("full", "no-such-manifest.json", "data")]
    public void UnknownScalesAndMissingManifestsAreRefused(string scale, string data, string parameter)
    {
        var e = Assert.Throws<ArgumentException>(() => ScaleRequirements.Check(scale, data, "cuda"));
        Assert.Equal(parameter, e.ParamName);
    }
}
