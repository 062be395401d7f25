using Folk.Lab.Data;
using Folk.Lab.Experiments;
using Folk.Lab.Methods;
using Folk.Lab.Tests.Support;
using Folk.Lab.Training.Checkpoints;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Experiments;

[Collection(GlobalRngCollection.Name)]
public class PretrainedMethodTests
{
    static string Fixture(string method) => Path.Combine(RepositoryRoot.Path, "tests", "Folk.Lab.Tests", "Fixtures", "runs-v0", method);

    [Fact]
    public void AnMfmRunComesBackWithEveryWeightOfItsCheckpoint()
    {
        var loaded = PretrainedMethod.Load(Fixture("mfm"));
        Assert.IsType<Mfm>(loaded.Method);
        Assert.Equal(("mfm", "vit-t", 16), (loaded.Run.Method, loaded.Run.Model, loaded.Run.ImageSize));
        using var checkpoint = Checkpoint.Load(loaded.Run.Checkpoint);
        var state = loaded.Method.Checkpointed.state_dict();
        Assert.Equal(checkpoint.Model.Keys.Order(), state.Keys.Order());            // the encoder and MFM's decoder, nothing fresh
        Assert.All(checkpoint.Model, p => Assert.True(state[p.Key].eq(p.Value).all().item<bool>(), p.Key));

        // the rebuilt method computes its own loss on new images
        var images = new SyntheticImages(new SyntheticImagesOptions { Size = 16, Count = 4, Seed = 5 });
        var batch = new DataLoader(images, loaded.Config.Augmentation(16), new DataLoaderOptions { BatchSize = 4, Workers = 1 }).Epoch(0).First();
        using var terms = loaded.Method.Loss(batch, new Generator(1));
        Assert.True(double.IsFinite(terms.Loss.item<float>()) && terms.Loss.item<float>() > 0);
    }

    [Fact]
    public void ARunWithSettingsOtherThanItsMethodsDefaultsIsRefusedNamingThem()
    {
        // the FOLK fixture was trained with a smaller projection head than the default one (hidden and bottleneck widths)
        var e = Assert.Throws<InvalidDataException>(() => PretrainedMethod.Load(Fixture("folk")));
        Assert.Contains("Folk", e.Message);
        Assert.Contains("settings other than folk's defaults", e.Message);
    }
}
