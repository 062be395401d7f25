using Folk.Lab.Data;
using Folk.Lab.Tests.Support;
using Folk.Lab.Training;
using Folk.Lab.Training.Schedules;

namespace Folk.Lab.Tests.Training;

[Collection(GlobalRngCollection.Name)]
public sealed class WarmupPolyTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-poly-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // MAE's ADE20K schedule: lr 1e-4, warm-up 1,500 iterations from ratio 1e-6, poly power 1 to 0 over 160,000.
    static readonly WarmupPoly Ade20k = new(1e-4, 0, 1e-6, 1_500, 160_000);

    [Fact]
    public void TheWarmUpMultipliesThePolyFromIterationZero()
    {
        TensorAssert.CloseRelative(1e-4 * 1e-6, Ade20k.At(0), 1e-9, "the warm-up starts at ratio × peak");   // 1 − (1 − 1e-6) keeps ~10 digits
        // mmcv: k = (1 − t/W)(1 − ratio), warm-up rate = regular · (1 − k), regular = peak · (1 − t/T)
        Assert.Equal(1e-4 * (1 - 750.0 / 160_000) * (1 - 0.5 * (1 - 1e-6)), Ade20k.At(750), 15);
        Assert.Equal(1e-4 * (1 - 1_500.0 / 160_000), Ade20k.At(1_500), 15);
        Assert.Equal(1e-4 * 0.5, Ade20k.At(80_000), 15);
        Assert.Equal(0, Ade20k.At(160_000));
        var squared = Ade20k with { Power = 2, Floor = 1e-6 };
        Assert.Equal((1e-4 - 1e-6) * 0.25 + 1e-6, squared.At(80_000), 15);
        // layer decay scales the base rate of a group, not the shared floor
        Assert.Equal(0.65 * 1e-4 * 0.5, Ade20k.ForScale(0.65, 80_000), 15);
        Assert.Equal((0.5 * 1e-4 - 1e-6) * 0.25 + 1e-6, squared.ForScale(0.5, 80_000), 15);
    }

    [Fact]
    public void ATrainerCountsIterationsAcrossEpochsStopsMidEpochAndResumes()
    {
        var (method, loader, config) = TinyRun.Create(Path.Combine(_dir, "a"), images: 48, batch: 16);
        config = config with { Iterations = 5, WarmupIterations = 2, Schedule = ScheduleKind.Poly, BaseLearningRate = 1e-2, MinLearningRate = 0, CheckpointEverySteps = 4 };
        var trainer = new Trainer(method, loader, config);
        Assert.Equal((5L, 2), (trainer.TotalSteps, trainer.Epochs));                        // 3 batches per epoch
        var schedule = Assert.IsType<WarmupPoly>(trainer.Schedule);
        Assert.Equal((1e-2 * 16 / 512, 2L, 1e-6), (schedule.Peak, schedule.WarmupSteps, schedule.WarmupRatio));
        var result = trainer.Run();
        Assert.Equal((5L, true), (result.Steps, result.Completed));
        Assert.Equal(5, TinyRun.Losses(Path.Combine(_dir, "a")).Length);
        Assert.Equal(new[] { "checkpoint-00000004.safetensors", "checkpoint-00000005.safetensors" },
            Directory.GetFiles(Path.Combine(_dir, "a", "checkpoints")).Select(Path.GetFileName).Order());

        // a longer run in the same folder resumes from iteration 5 (the length may change; the recipe may not)
        var (m2, l2, c2) = TinyRun.Create(Path.Combine(_dir, "a"), images: 48, batch: 16);
        var longer = new Trainer(m2, l2, config with { Iterations = 7 }).Run();
        Assert.Equal(7, longer.Steps);
        Assert.Equal(7, TinyRun.Losses(Path.Combine(_dir, "a")).Length);
        var (m3, l3, c3) = TinyRun.Create(Path.Combine(_dir, "a"), images: 48, batch: 16);
        Assert.Throws<RunFolderMismatchException>(() => new Trainer(m3, l3, config with { Iterations = 9, PolyPower = 2 }).Run());
        Assert.Throws<ArgumentException>(() => new Trainer(m3, l3, config with { WarmupIterations = 5 }));
    }
}
