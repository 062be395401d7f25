using System.Text.Json;
using Folk.Lab.Experiments;
using Folk.Lab.Methods;
using Folk.Lab.Tests.Support;
using Folk.Lab.Training;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Experiments;

[Collection(GlobalRngCollection.Name)]
public sealed class PretrainingRunTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("folk-lab-runs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Folder(string name) => Path.Combine(_root, name);

    static double[] Losses(string folder) => new MetricsLog(folder).Read().Select(e => e.GetProperty("loss").GetDouble()).ToArray();

    [Fact]
    public void ANewMethodIsOneFileAndOneRegistryLine()
    {
        var registry = MethodRegistry.Default.With("autoencoder", _ => new AutoencoderConfig());
        Assert.Equal(new[] { "mfm", "sr", "deblur", "denoise", "folk", "autoencoder" }, registry.Names);
        Assert.DoesNotContain("autoencoder", MethodRegistry.Default.Names);                 // registering returns a new registry

        var recipe = TinyRecipes.For(registry.For("autoencoder", "vit-t"), Folder("ae"));
        var run = PretrainingRun.Assemble(recipe, TinyRecipes.Images(), "synthetic");
        Assert.Equal("autoencoder", run.Method.Name);
        var result = run.Trainer.Run();
        Assert.True(result.Completed && result.FinalLoss is > 0 and < double.PositiveInfinity);
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder("ae"), "config.json"))).RootElement;
        Assert.Equal("autoencoder", config.GetProperty("method").GetString());
        Assert.Equal(0.2, config.GetProperty("experiment").GetProperty("MinCropScale").GetDouble());

        // its description takes part in the resume rule like any method's
        var changed = recipe with { Method = new AutoencoderConfig { MinCropScale = 0.5 } };
        var e = Assert.Throws<RunFolderMismatchException>(() => PretrainingRun.Assemble(changed, TinyRecipes.Images(), "synthetic").Trainer.Run());
        Assert.Contains("experiment.MinCropScale", e.Message);
    }

    [Fact]
    public void TheRegistryNamesItsChoicesAndRefusesDuplicates()
    {
        var unknown = Assert.Throws<ArgumentException>(() => MethodRegistry.Default.For("mae", "vit-t"));
        Assert.Contains("mfm, sr, deblur, denoise, folk", unknown.Message);
        Assert.Throws<ArgumentException>(() => MethodRegistry.Default.With("mfm", _ => new MfmConfig()));
        var misnamed = MethodRegistry.Default.With("ae", _ => new AutoencoderConfig());
        Assert.Throws<InvalidOperationException>(() => misnamed.For("ae", "vit-t"));
        Assert.Equal(0.3, Assert.IsType<MfmConfig>(MethodRegistry.Default.For("mfm", "resnet50")).Masks.LowPassProbability);
        Assert.Equal(0.5, Assert.IsType<MfmConfig>(MethodRegistry.Default.For("mfm", "vit-b")).Masks.LowPassProbability);
    }

    [Fact]
    public void OneSeedDrivesDataInitialisationAndTraining()
    {
        PretrainingRun Run(string name, long seed) => PretrainingRun.Assemble(TinyRecipes.For(new MfmConfig(), Folder(name), epochs: 1, seed: seed), TinyRecipes.Images(), "synthetic");
        var a = Run("a", 5);
        var b = Run("b", 5);
        var c = Run("c", 6);
        Assert.Equal(5, a.Loader.Options.Seed);
        TensorAssert.Equal(a.Method.Encoder.parameters().First(), b.Method.Encoder.parameters().First(), "same seed, same initialisation");
        Assert.False(a.Method.Encoder.parameters().First().equal(c.Method.Encoder.parameters().First()).all().item<bool>());
        Assert.NotEqual(a.Loader.Order(0), c.Loader.Order(0));
        a.Trainer.Run();
        b.Trainer.Run();
        c.Trainer.Run();
        Assert.Equal(Losses(Folder("a")), Losses(Folder("b")));
        Assert.NotEqual(Losses(Folder("a")), Losses(Folder("c")));

        // a loader with another seed cannot be paired with the trainer
        var e = Assert.Throws<ArgumentException>(() => new Trainer(a.Method, c.Loader, a.Recipe.Trainer));
        Assert.Contains("TrainerConfig.Seed (5)", e.Message);
    }

    [Theory]
    [InlineData("mfm")]
    [InlineData("folk")]
    public void RunFoldersWrittenBeforeTheRunLayerResumeWithTheSameLosses(string method)
    {
        // tests/Folk.Lab.Tests/Fixtures/runs-v0/: the checkpoint at iteration 4 of an 8-iteration run, its config.json,
        // and the metrics of the whole uninterrupted run, all written by the version before method configs existed
        var fixture = Path.Combine(RepositoryRoot.Path, "tests", "Folk.Lab.Tests", "Fixtures", "runs-v0", method);
        var folder = Folder($"v0-{method}");
        Directory.CreateDirectory(Path.Combine(folder, "checkpoints"));
        File.Copy(Path.Combine(fixture, "config.json"), Path.Combine(folder, "config.json"));
        File.Copy(Path.Combine(fixture, "checkpoints", "checkpoint-00000004.safetensors"), Path.Combine(folder, "checkpoints", "checkpoint-00000004.safetensors"));

        // the FOLK fixture was trained at 16² with DINO's blur in 224² pixels, before the blur was scaled to the size
        MethodConfig settings = method == "folk" ? TinyRecipes.SmallFolk with { SizeScaling = Folk.Lab.Frequency.SizeScaling.None } : new MfmConfig();
        var messages = new List<string>();
        var run = PretrainingRun.Assemble(TinyRecipes.For(settings, folder, epochs: 4), TinyRecipes.Images(), "synthetic", new Messages(messages));
        var result = run.Trainer.Run();
        Assert.Contains(messages, m => m.Contains("at iteration 4", StringComparison.Ordinal));
        Assert.Equal(8, result.Steps);

        var expected = File.ReadLines(Path.Combine(fixture, "uninterrupted-metrics.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("loss").GetDouble()).Skip(4).ToArray();
        var resumed = Losses(folder);
        Assert.Equal(4, resumed.Length);
        for (int i = 0; i < 4; i++)
            Assert.True(Math.Abs(resumed[i] - expected[i]) <= 1e-4 * Math.Abs(expected[i]), $"iteration {i + 4}: {resumed[i]} after resuming, {expected[i]} in the original run");
    }

    sealed class Messages(List<string> into) : ITrainingCallbacks
    {
        public void OnMessage(string message) => into.Add(message);
    }
}
