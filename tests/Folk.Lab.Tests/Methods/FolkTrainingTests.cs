using Folk.Lab.Methods;
using Folk.Lab.Tests.Support;
using Folk.Lab.Training;
using Folk.Lab.Training.Checkpoints;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Methods;

[Collection(GlobalRngCollection.Name)]
public sealed class FolkTrainingTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-folk-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Folder(string name) => Path.Combine(_dir, name);

    static double[] Column(string folder, string term) =>
        new MetricsLog(folder).Read().Select(e => e.GetProperty(term).GetDouble()).ToArray();

    sealed class StopAfter(int steps, CancellationTokenSource cancel) : ITrainingCallbacks
    {
        public void OnStep(StepReport report) { if (report.Step + 1 >= steps) cancel.Cancel(); }
    }

    [Fact]
    public void ATinyRunLogsEveryTermAndResumesExactlyAfterAnInterruption()
    {
        var (method, loader, config) = TinyFolk.Run(Folder("full"));
        Assert.True(new Trainer(method, loader, config).Run().Completed);
        var full = Training.TinyRun.Losses(Folder("full"));
        Assert.Equal(8, full.Length);
        Assert.All(new[] { "loss_rec", "loss_distill", "teacher_temp" }, term => Assert.Equal(8, Column(Folder("full"), term).Length));
        Assert.Equal(new[] { 0.04, 0.04, 0.04, 0.04, 0.07, 0.07, 0.07, 0.07 }, Column(Folder("full"), "teacher_temp").Select(t => Math.Round(t, 6)));
        for (int i = 0; i < 8; i++)
            Assert.Equal(Column(Folder("full"), "loss_rec")[i] + Column(Folder("full"), "loss_distill")[i], full[i], 5);

        // the same seed gives the same losses
        var (again, againLoader, againConfig) = TinyFolk.Run(Folder("again"));
        new Trainer(again, againLoader, againConfig).Run();
        Assert.Equal(full, Training.TinyRun.Losses(Folder("again")));

        // interrupted after 3 iterations, resumed by a fresh method with other weights: the same losses
        using var cancel = new CancellationTokenSource();
        var (m1, l1, c1) = TinyFolk.Run(Folder("resumed"));
        Assert.False(new Trainer(m1, l1, c1, new StopAfter(3, cancel)).Run(cancel.Token).Completed);
        var (m2, l2, c2) = TinyFolk.Run(Folder("resumed"));
        using (no_grad()) foreach (var p in m2.Checkpointed.parameters()) p.add_(1.0);
        Assert.True(new Trainer(m2, l2, c2).Run().Completed);
        Assert.Equal(full, Training.TinyRun.Losses(Folder("resumed")));
        Assert.Equal(8, m2.StepsTaken);
        foreach (var (name, t) in m2.Checkpointed.state_dict())
            TensorAssert.Equal(method.Checkpointed.state_dict()[name], t, $"final {name}");
    }

    [Fact]
    public void TheCheckpointCarriesTheTeacherTheCentreAndTheSchedule()
    {
        var (method, loader, config) = TinyFolk.Run(Folder("run"), epochs: 1);
        new Trainer(method, loader, config).Run();
        var store = new CheckpointStore(Path.Combine(Folder("run"), "checkpoints"));
        using var checkpoint = Checkpoint.Load(store.Files()[0].Path);
        TensorAssert.Equal(method.Center.Value, checkpoint.Model["dino_loss.center"], "centre");
        Assert.True(checkpoint.Model["dino_loss.center"].abs().sum().item<float>() > 0);
        Assert.Equal(new long[] { 4, 4 }, checkpoint.Model["schedule"].data<long>().ToArray());
        TensorAssert.Equal(((nn.Module)method.Teacher.Encoder).state_dict()["pos_embed"], checkpoint.Model["teacher.encoder.pos_embed"], "teacher");
        Assert.False(checkpoint.Model["teacher.encoder.pos_embed"].Equals(checkpoint.Model["student.encoder.pos_embed"]));
    }
}

[Collection(GlobalRngCollection.Name)]
public class FolkLeakTests
{
    [Fact]
    public void AFolkStepLeaksNoTensors()
    {
        var folk = new Folk.Lab.Methods.Folk(new Folk.Lab.Models.VisionTransformer(Training.TinyRun.Encoder),
            new Folk.Lab.Models.VisionTransformer(Training.TinyRun.Encoder), TinyFolk.Config, 2);
        using var views = TinyFolk.Views(2);
        using var g = new Generator(1);
        void Step(long i)
        {
            using (var terms = folk.Loss(views, g)) terms.Loss.backward();
            folk.Trainable.zero_grad();
            folk.AfterOptimizerStep(i, 10);
        }
        Step(0);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 1; i < 4; i++) Step(i);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        folk.Dispose();
    }
}
