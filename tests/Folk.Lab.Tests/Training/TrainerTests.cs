using Folk.Lab.Tests.Support;
using Folk.Lab.Data;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Training;
using Folk.Lab.Training.Checkpoints;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Training;

[Collection(GlobalRngCollection.Name)]
public sealed class TrainerTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-trainer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Folder(string name) => Path.Combine(_dir, name);

    sealed class Recorder : ITrainingCallbacks
    {
        public List<string> Messages { get; } = new();
        public List<StepReport> Steps { get; } = new();
        public void OnStep(StepReport report) => Steps.Add(report);
        public void OnMessage(string message) => Messages.Add(message);
    }

    [Fact]
    public void SameSeedGivesBitIdenticalLosses()
    {
        foreach (var name in new[] { "a", "b" })
        {
            var (method, loader, config) = TinyRun.Create(Folder(name));
            new Trainer(method, loader, config).Run();
        }
        var a = TinyRun.Losses(Folder("a"));
        Assert.Equal(8, a.Length);
        Assert.Equal(a, TinyRun.Losses(Folder("b")));
        var (m2, l2, c2) = TinyRun.Create(Folder("c"), seed: 1);
        new Trainer(m2, l2, c2).Run();
        Assert.NotEqual(a, TinyRun.Losses(Folder("c")));
    }

    [Fact]
    public void ResumingFromACheckpointContinuesWithTheSameLosses()
    {
        var (method, loader, config) = TinyRun.Create(Folder("full"));
        new Trainer(method, loader, config).Run();
        var full = TinyRun.Losses(Folder("full"));

        using var cancel = new CancellationTokenSource();
        var recorder = new Recorder();
        var (m1, l1, c1) = TinyRun.Create(Folder("resumed"));
        var stopAfter3 = new StopAfter(3, cancel);
        var first = new Trainer(m1, l1, c1, stopAfter3).Run(cancel.Token);
        Assert.False(first.Completed);
        Assert.Equal(3, first.Steps);                              // stops at the end of the optimiser step that saw the request

        var (m2, l2, c2) = TinyRun.Create(Folder("resumed"), seed: 0);
        using (no_grad()) foreach (var p in m2.parameters()) p.add_(1.0);   // a fresh process would start from other weights: the checkpoint must win
        var second = new Trainer(m2, l2, c2, recorder).Run();
        Assert.True(second.Completed);
        Assert.Contains(recorder.Messages, m => m.StartsWith("resuming from") && m.Contains("iteration 3"));
        Assert.Equal(full, TinyRun.Losses(Folder("resumed")));
    }

    [Fact]
    public void ALambRunResumesWithTheSameLossesAndAnotherOptimiserIsRefused()
    {
        var lamb = Folk.Lab.Training.Optim.OptimizerKind.Lamb;
        var (method, loader, config) = TinyRun.Create(Folder("lamb-full"));
        new Trainer(method, loader, config with { Optimizer = lamb }).Run();
        var full = TinyRun.Losses(Folder("lamb-full"));
        var (adamMethod, adamLoader, adamConfig) = TinyRun.Create(Folder("adamw"));
        new Trainer(adamMethod, adamLoader, adamConfig).Run();
        Assert.NotEqual(full, TinyRun.Losses(Folder("adamw")));                 // the setting reaches the update

        using var cancel = new CancellationTokenSource();
        var (m1, l1, c1) = TinyRun.Create(Folder("lamb-resumed"));
        Assert.False(new Trainer(m1, l1, c1 with { Optimizer = lamb }, new StopAfter(3, cancel)).Run(cancel.Token).Completed);
        var (m2, l2, c2) = TinyRun.Create(Folder("lamb-resumed"));
        Assert.True(new Trainer(m2, l2, c2 with { Optimizer = lamb }).Run().Completed);
        Assert.Equal(full, TinyRun.Losses(Folder("lamb-resumed")));              // LAMB's moments came back from the checkpoint

        var (m3, l3, c3) = TinyRun.Create(Folder("lamb-resumed"), epochs: 3);
        var e = Assert.Throws<RunFolderMismatchException>(() => new Trainer(m3, l3, c3).Run());
        Assert.Contains("trainer.Optimizer", e.Message);
    }

    sealed class StopAfter(int steps, CancellationTokenSource cancel) : ITrainingCallbacks
    {
        public void OnStep(StepReport report) { if (report.Step + 1 >= steps) cancel.Cancel(); }
    }

    [Fact]
    public void ACorruptNewestCheckpointIsSkippedWithAWarning()
    {
        var (method, loader, config) = TinyRun.Create(Folder("run"), epochs: 1);
        new Trainer(method, loader, config).Run();
        var store = new CheckpointStore(Path.Combine(Folder("run"), "checkpoints"));
        var files = store.Files();
        Assert.Equal(2, files.Count);                              // KeepCheckpoints = 2
        var newest = files[0].Path;
        var bytes = File.ReadAllBytes(newest);
        File.WriteAllBytes(newest, bytes[..(bytes.Length / 2)]);   // a torn write

        var warnings = new List<string>();
        var loaded = store.LoadLatest(warnings.Add);
        Assert.NotNull(loaded);
        Assert.Equal(files[1].Path, loaded!.Value.Path);
        Assert.Contains(newest, Assert.Single(warnings));

        var flipped = File.ReadAllBytes(files[1].Path);
        flipped[^3] ^= 0xFF;                                       // silent corruption of the data
        File.WriteAllBytes(files[1].Path, flipped);
        Assert.Contains("checksum mismatch", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(files[1].Path)).Message);
        loaded.Value.Checkpoint.Dispose();
    }

    [Fact]
    public void ANonFiniteLossStopsTheRunBeforeItIsApplied()
    {
        var (method, loader, config) = TinyRun.Create(Folder("nan"));
        var poisoned = new PoisonedAt(method, 5);
        var e = Assert.Throws<NonFiniteLossException>(() => new Trainer(poisoned, loader, config).Run());
        Assert.Equal(5, e.Step);
        Assert.Contains("iteration 5", e.Message);
        Assert.Contains("learning rate", e.Message);
        Assert.EndsWith("checkpoint-00000004.safetensors", e.LastCheckpoint);
        var store = new CheckpointStore(Path.Combine(Folder("nan"), "checkpoints"));
        Assert.Equal(4, store.Files()[0].Step);                    // nothing after the last good step
        using var checkpoint = Checkpoint.Load(store.Files()[0].Path);
        Assert.All(checkpoint.Model.Values, t => Assert.True(t.isfinite().all().item<bool>()));
    }

    /// <summary>An MFM whose loss becomes NaN at one iteration.</summary>
    sealed class PoisonedAt(Mfm inner, int step) : IPretrainingMethod
    {
        int _calls;
        public string Name => inner.Name;
        public nn.Module Trainable => inner.Trainable;
        public nn.Module Checkpointed => inner.Checkpointed;
        public Encoder Encoder => inner.Encoder;
        public LossTerms Loss(Batch batch, Generator generator)
        {
            var terms = inner.Loss(batch, generator);
            if (_calls++ != step) return terms;
            var nan = terms.Loss * double.NaN;
            return new LossTerms(nan, new Dictionary<string, Tensor> { ["loss"] = nan.detach() });
        }

    }

    [Fact]
    public void ResumingADifferentRunIsRefused()
    {
        var (method, loader, config) = TinyRun.Create(Folder("run"), epochs: 1);
        new Trainer(method, loader, config).Run();
        var (m2, l2, c2) = TinyRun.Create(Folder("run"), epochs: 1);
        var e = Assert.Throws<RunFolderMismatchException>(() => new Trainer(m2, l2, c2 with { WeightDecay = 0.1 }).Run());
        Assert.Contains("trainer.WeightDecay", e.Message);
        // a longer run of the same recipe is allowed: it continues
        var (m3, l3, c3) = TinyRun.Create(Folder("run"), epochs: 2);
        Assert.True(new Trainer(m3, l3, c3).Run().Completed);
        Assert.Equal(8, TinyRun.Losses(Folder("run")).Length);
    }

    [Fact]
    public void ReportsCarryEveryLossTermAndTheScheduledRate()
    {
        var recorder = new Recorder();
        var (method, loader, config) = TinyRun.Create(Folder("log"), epochs: 1);
        var trainer = new Trainer(method, loader, config, recorder);
        trainer.Run();
        Assert.Equal(4, recorder.Steps.Count);
        Assert.All(recorder.Steps, s => Assert.Contains("loss_low", s.Terms.Keys));
        Assert.Equal(trainer.Schedule.At(2), recorder.Steps[2].LearningRate);
        Assert.True(File.Exists(Path.Combine(Folder("log"), "metrics.csv")));
        Assert.StartsWith("step,epoch,lr,img_s,elapsed_s,loss", File.ReadLines(Path.Combine(Folder("log"), "metrics.csv")).First());
        Assert.Contains("\"method\": \"mfm\"", File.ReadAllText(Path.Combine(Folder("log"), "config.json")));
    }

    [Fact]
    public void AWarmUpAsLongAsTheRunIsRefusedNamingBothLengthsAndTheSetting()
    {
        var (method, loader, config) = TinyRun.Create(Folder("warmup"), epochs: 2);    // 4 iterations per epoch, 8 in all
        foreach (var (epochs, iterations) in new[] { (2.0, 8), (20.0, 80) })
        {
            var e = Assert.Throws<ArgumentException>(() => new Trainer(method, loader, config with { WarmupEpochs = epochs }));
            Assert.Contains($"{iterations} iterations (TrainerConfig.WarmupEpochs = {epochs} epochs of 4)", e.Message);
            Assert.Contains("against 8 in the whole run (2 epochs)", e.Message);
            Assert.Contains("--warmup-epochs", e.Message);
        }
        Assert.False(Directory.Exists(Folder("warmup")), "nothing was written");

        // one iteration shorter than the run is allowed: the warm-up then ends at 6/7 of the peak
        var trainer = new Trainer(method, loader, config with { WarmupEpochs = 1.75 });
        Assert.Equal(7, trainer.Schedule.WarmupSteps);
        Assert.InRange(Enumerable.Range(0, 8).Max(s => trainer.Schedule.At(s)) / trainer.Schedule.Peak, 0.85, 0.86);
    }
}
