using Folk.Lab.Evaluation;
using Folk.Lab.Experiments;
using Folk.Lab.Methods;
using Folk.Lab.Tests.Support;
using Folk.Lab.Training;

namespace Folk.Lab.Tests.Experiments;

[Collection(GlobalRngCollection.Name)]
public sealed class RunCacheTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("folk-lab-cache-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    static int Checkpoints(string folder) => Directory.GetFiles(Path.Combine(folder, "checkpoints")).Length;

    [Fact]
    public void TheKeyIsWhatTheRunIsNotWhereOrHowVerboselyItRuns()
    {
        var recipe = TinyRecipes.For(new MfmConfig(), "a");
        string key = RunCache.Key(recipe, "synthetic");
        Assert.Matches("^[0-9a-f]{12}$", key);
        Assert.Equal(key, RunCache.Key(recipe with { Trainer = recipe.Trainer with { RunFolder = "elsewhere", LogEverySteps = 50, Device = "cuda" } }, "synthetic"));
        Assert.NotEqual(key, RunCache.Key(recipe with { Trainer = recipe.Trainer with { Seed = 4 } }, "synthetic"));
        Assert.NotEqual(key, RunCache.Key(recipe with { Method = new MfmConfig { Masks = new MfmConfig().Masks with { LowPassProbability = 1 } } }, "synthetic"));
        Assert.NotEqual(key, RunCache.Key(recipe with { BatchSize = 4 }, "synthetic"));
        Assert.NotEqual(key, RunCache.Key(recipe, "data-manifests/fashion-mnist.json"));
        Assert.NotEqual(key, RunCache.Key(recipe with { Method = new SuperResolutionConfig() }, "synthetic"));
    }

    [Fact]
    public void ARunIsTrainedOnceAndThenFoundFinished()
    {
        var cache = new RunCache(_root);
        var recipe = TinyRecipes.For(new MfmConfig(), "ignored", epochs: 1);
        string folder = cache.Pretrain(recipe, TinyRecipes.Images(), "synthetic");
        Assert.Equal(cache.FolderFor(recipe, "synthetic"), folder);
        Assert.StartsWith(Path.Combine(_root, "pretrain", "mfm-vit-t-"), folder);
        var metrics = File.ReadAllText(Path.Combine(folder, "metrics.jsonl"));
        var newest = Directory.GetFiles(Path.Combine(folder, "checkpoints")).Max(File.GetLastWriteTimeUtc);
        Assert.Equal(2, metrics.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);   // 16 images, batch 8: two iterations logged

        Assert.Equal(folder, cache.Pretrain(recipe, TinyRecipes.Images(), "synthetic"));
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(folder, "metrics.jsonl")));      // nothing trained again
        Assert.Equal(newest, Directory.GetFiles(Path.Combine(folder, "checkpoints")).Max(File.GetLastWriteTimeUtc));
        Assert.True(Checkpoints(folder) >= 1);
        Assert.Equal("mfm", PretrainedRun.Open(folder).Method);

        var other = cache.Pretrain(recipe with { Trainer = recipe.Trainer with { Seed = 9 } }, TinyRecipes.Images(), "synthetic");
        Assert.NotEqual(folder, other);
    }

    [Fact]
    public void AnEvaluationIsMadeOnceThenReadFromItsResult()
    {
        var cache = new RunCache(_root);
        int calls = 0;
        EvaluationResult Evaluate(string folder)
        {
            calls++;
            var result = new EvaluationResult("knn", "k-NN", new System.Text.Json.Nodes.JsonObject(), new EncoderSource("random", null, null, "random", "vit-t"),
                "synthetic", 0, new Dictionary<string, double> { ["top1"] = 0.25 + calls }, "top1", 1.0, "cpu", EvaluationResult.CurrentVersions(), DateTimeOffset.UtcNow);
            result.Write(folder);
            return result;
        }

        Assert.Equal(1.25, cache.Evaluation("knn/random-s0", Evaluate).Metrics["top1"]);
        Assert.Equal(1.25, cache.Evaluation("knn/random-s0", Evaluate).Metrics["top1"]);   // read back, not evaluated again
        Assert.Equal(1, calls);
        Assert.True(File.Exists(Path.Combine(_root, "eval", "knn", "random-s0", EvaluationResult.FileName)));
        Assert.Equal(Path.Combine(_root, "eval", "knn", "random-s0"), cache.EvaluationFolder("knn/random-s0"));
        Assert.Throws<ArgumentException>(() => cache.EvaluationFolder("knn/../escape"));

        cache.Evaluation("ablations/knn/radius-8", Evaluate);
        Assert.Equal(new[] { 1.25 }, cache.Results().Select(r => r.Metrics["top1"]));            // ablation variants only on request
        Assert.Equal(new[] { 2.25, 1.25 }, cache.Results(ablations: true).Select(r => r.Metrics["top1"]));
        Assert.Empty(new RunCache(Path.Combine(_root, "empty")).Results());

        Assert.Throws<InvalidOperationException>(() => cache.Evaluation("forgot", _ => Evaluate(Path.Combine(_root, "somewhere-else"))));
        Assert.Throws<ArgumentException>(() => cache.Evaluation("../escape", Evaluate));
        Assert.Throws<ArgumentException>(() => cache.Evaluation("/abs", Evaluate));
    }
}
