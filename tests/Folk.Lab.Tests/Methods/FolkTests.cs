using Folk.Lab.Frequency;
using Folk.Lab.Data;
using Folk.Lab.Masks;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Tests.Support;
using Folk.Lab.Training.Optim;
using Folk.Lab.Methods.Schedules;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Methods;

[Collection(GlobalRngCollection.Name)]
public sealed class FolkTests
{
    [Fact]
    public void TheTeacherStartsAsTheStudentAndFollowsItByTheCosineMomentum()
    {
        using var folk = TinyFolk.Method();
        var student = folk.Student.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        foreach (var (name, t) in folk.Teacher.named_parameters())
            TensorAssert.Equal(student[name], t, $"teacher {name} at the start");

        using (no_grad()) foreach (var p in folk.Student.parameters()) p.add_(randn_like(p));
        var before = folk.Teacher.named_parameters().ToDictionary(p => p.name, p => ((Tensor)p.parameter).clone());
        folk.AfterOptimizerStep(3, 10);
        double m = new CosineMomentum(0.996, 1, 10).At(3);
        Assert.InRange(m, 0.996, 1);
        foreach (var (name, t) in folk.Teacher.named_parameters())
        {
            using var expected = before[name].to(ScalarType.Float64) * m + student[name].to(ScalarType.Float64) * (1 - m);
            TensorAssert.CloseRelativeToMax(expected, t.to(ScalarType.Float64), 1e-6, $"EMA of {name}");
        }
        Assert.Equal(4, folk.StepsTaken);
        foreach (var t in before.Values) t.Dispose();
    }

    /// <summary>∏ m_t for DINO's cosine 0.996 → 1 over a whole run of <paramref name="steps"/> steps, written out.</summary>
    static double ShareLeftAfterAWholeRun(int steps) =>
        Enumerable.Range(0, steps).Aggregate(1.0, (p, t) => p * (1 - 0.004 * (Math.Cos(Math.PI * t / (steps - 1)) + 1) / 2));

    [Theory]
    [InlineData(34, 0.934, "student")]          // the probe runs of the learning-signal experiment: 34, 64 and 104 steps
    [InlineData(64, 0.880, "student")]
    [InlineData(104, 0.812, "student")]
    [InlineData(2_200, 0.0122, "student")]     // ∏ m_t ≈ exp(−0.002 T): 1 % is crossed at T ≈ ln(100) / 0.002 ≈ 2,303
    [InlineData(2_400, 0.0082, "teacher")]
    [InlineData(187_500, 0.0, "teacher")]      // MFM's recipe: 300 epochs of 625 steps
    public void AutoExportsTheTeacherOnlyOnceUnderOnePercentOfItsInitialWeightsIsLeft(int steps, double share, string exported)
    {
        var config = new FolkConfig();
        Assert.Equal(FolkExport.Auto, config.Export);
        Assert.Equal(0.01, config.AutoExportInitialShare);
        double computed = Folk.Lab.Methods.Folk.InitialShare(config, steps, steps);
        Assert.Equal(ShareLeftAfterAWholeRun(steps), computed, 1e-9);
        Assert.Equal(share, computed, share == 0 ? 1e-12 : share * 0.005);
        Assert.Equal(exported, computed <= config.AutoExportInitialShare ? "teacher" : "student");
        Assert.Equal(1.0, Folk.Lab.Methods.Folk.InitialShare(config, 0, steps));
    }

    [Fact]
    public void TheTeachersInitialShareIsWhatTheEmaLeavesAndDecidesTheExport()
    {
        // with a student of zeros the teacher after t updates is exactly ∏ m_t × its initial weights
        using var folk = TinyFolk.Method();
        var initial = folk.Teacher.Encoder.parameters().Select(p => p.detach().clone()).ToArray();
        using (no_grad()) foreach (var p in folk.Student.parameters()) p.zero_();
        for (long t = 0; t < 34; t++) folk.AfterOptimizerStep(t, 34);
        Assert.Equal(ShareLeftAfterAWholeRun(34), folk.TeacherInitialShare, 1e-9);
        foreach (var (now, before) in folk.Teacher.Encoder.parameters().Zip(initial))
            TensorAssert.CloseRelativeToMax(before * folk.TeacherInitialShare, now, 1e-5, "teacher = ∏ m_t · initial");
        Assert.Equal(FolkExport.Student, folk.ExportedBranch);
        Assert.Same(folk.Student.Encoder, folk.Encoder);
        Assert.StartsWith("student (the teacher holds 0.934", folk.ExportedEncoder);
        foreach (var t in initial) t.Dispose();

        using var longer = TinyFolk.Method();
        for (long t = 0; t < 2_400; t++) longer.AfterOptimizerStep(t, 2_400);
        Assert.Equal(FolkExport.Teacher, longer.ExportedBranch);
        Assert.Same(longer.Teacher.Encoder, longer.Encoder);
        Assert.StartsWith("teacher (the teacher holds 0.0082", longer.ExportedEncoder);
    }

    [Fact]
    public void TheTeacherNeverReceivesGradientsAndTheOptimiserNeverSeesIt()
    {
        using var folk = TinyFolk.Method();
        using var views = TinyFolk.Views(4);
        using var g = new Generator(1);
        using var terms = folk.Loss(views, g);
        terms.Loss.backward();
        Assert.All(folk.Teacher.parameters(), p => { Assert.False(p.requires_grad); Assert.True(p.grad is null); });
        Assert.Contains(folk.Student.parameters(), p => p.grad is not null && p.grad.abs().sum().item<float>() > 0);
        var optimised = ParameterGroups.Build(folk.Trainable, 0.05).SelectMany(gr => gr.Parameters).Select(p => p.Name).ToList();
        Assert.DoesNotContain(optimised, n => n.StartsWith("teacher", StringComparison.Ordinal));
        Assert.DoesNotContain("head.last_layer.weight_g", optimised);            // DINO's norm_last_layer
        Assert.Contains("head.last_layer.weight_v", optimised);
        Assert.Contains("decoder.conv.weight", optimised);
    }

    [Fact]
    public void TheStudentSeesExactlyTheRecordedMasksAndTheTeacherTheCleanViews()
    {
        using var folk = TinyFolk.Method();
        using var views = TinyFolk.Views(4);
        using var g = new Generator(5);
        using var f = folk.Forward(views, g);
        var split = views.Views;
        for (int v = 0; v < 2; v++)
        {
            TensorAssert.Equal(split[v], f.Views[v], $"view {v}");
            Assert.All(f.Masks[v].Samples, s => Assert.True(s.Kind is MaskKind.Com or MaskKind.RCom));
            using var expected = ImageNetNormalization.Normalize(FrequencyFilter.Apply(split[v], f.Masks[v].Masks));
            TensorAssert.Equal(expected, f.StudentInputs[v], $"student input {v}");
            using var outputs = folk.Student.Encoder.Outputs(f.StudentInputs[v]);
            using var logits = folk.Student.Head.forward(outputs.Global);
            TensorAssert.CloseRelativeToMax(logits, f.StudentLogits[v].detach(), 1e-4, $"student logits {v}");
            using var clean = folk.Teacher.Encoder.Outputs(ImageNetNormalization.Normalize(split[v]), withMap: false);
            using var teacher = folk.Teacher.Head.forward(clean.Global);
            TensorAssert.CloseRelativeToMax(teacher, f.TeacherLogits[v], 1e-4, $"teacher logits {v} on the clean view");
        }
        // the two views draw their filters independently, and the same seed draws the same ones
        Assert.NotEqual(f.Masks[0].Samples, f.Masks[1].Samples);
        using var g2 = new Generator(5);
        using var again = folk.Forward(views, g2);
        for (int v = 0; v < 2; v++) TensorAssert.Equal(f.Masks[v].Masks, again.Masks[v].Masks, $"masks {v} with the same seed");
    }

    [Fact]
    public void TheLossIsTheHandComputedReconstructionPlusCrossViewDistillation()
    {
        using var folk = TinyFolk.Method();
        using var views = TinyFolk.Views(3);
        using (var warm = folk.Loss(views, new Generator(9))) folk.Observe(warm);
        folk.AfterOptimizerStep(5, 8);                                  // a non-zero centre and epoch 1 of 2: τ_t = 0.07
        Assert.Equal(0.07, folk.TeacherTemperature, 12);
        using var center = folk.Center.Value.to(ScalarType.Float64).clone();
        Assert.True(center.abs().sum().item<double>() > 0);

        using var g1 = new Generator(11);
        using var f = folk.Forward(views, g1);
        using var g2 = new Generator(11);
        using var terms = folk.Loss(views, g2);

        // reconstruction: MFM's loss written out — ortho FFT, |ΔF|, mean over removed frequencies × channels, per view
        double rec = 0;
        for (int v = 0; v < 2; v++)
        {
            using var p = fft.fftshift(fft.fft2(f.Reconstructions[v].detach().to(ScalarType.Float64), norm: FFTNormType.Ortho), new long[] { -2, -1 });
            using var t = fft.fftshift(fft.fft2(f.Targets[v].to(ScalarType.Float64), norm: FFTNormType.Ortho), new long[] { -2, -1 });
            using var removed = (1 - f.Masks[v].Masks.to(ScalarType.Float64)).unsqueeze(1);   // B×1×H×W
            using var distance = (p - t).abs();
            rec += (distance * removed).sum().item<double>() / (removed.sum().item<double>() * 3);
        }
        rec /= 2;

        // distillation: softmax((t − c)/0.07) of one view against log-softmax(s/0.1) of the other, by hand
        double Distill(int teacherView, int studentView)
        {
            var t = f.TeacherLogits[teacherView].to(ScalarType.Float64).cpu();
            var s = f.StudentLogits[studentView].detach().to(ScalarType.Float64).cpu();
            var c = center.cpu().data<double>().ToArray();
            long b = t.shape[0], k = t.shape[1];
            double sum = 0;
            for (long i = 0; i < b; i++)
            {
                var tr = Enumerable.Range(0, (int)k).Select(j => (t[i, j].item<double>() - c[j]) / 0.07).ToArray();
                var sr = Enumerable.Range(0, (int)k).Select(j => s[i, j].item<double>() / 0.1).ToArray();
                double tMax = tr.Max(), sMax = sr.Max();
                double tZ = tr.Sum(x => Math.Exp(x - tMax)), sLogZ = sMax + Math.Log(sr.Sum(x => Math.Exp(x - sMax)));
                for (int j = 0; j < k; j++) sum += -Math.Exp(tr[j] - tMax) / tZ * (sr[j] - sLogZ);
            }
            return sum / b;
        }
        double kd = (Distill(0, 1) + Distill(1, 0)) / 2;

        var values = terms.Values();
        TensorAssert.CloseRelative(rec, values["loss_rec"], 1e-5, "loss_rec");
        TensorAssert.CloseRelative(kd, values["loss_distill"], 1e-5, "loss_distill");
        TensorAssert.CloseRelative(rec + kd, values["loss"], 1e-5, "loss = rec + 1·distill");
        Assert.Equal(0.07, values["teacher_temp"], 12);
    }

    [Fact]
    public void TheCentreMovesOnlyAfterTheOptimiserStepByTheMeanTeacherOutput()
    {
        using var folk = TinyFolk.Method();
        using var views = TinyFolk.Views(4);
        using var f = folk.Forward(views, new Generator(2));
        using var a = folk.Loss(views, new Generator(2));
        using var b = folk.Loss(views, new Generator(2));
        folk.AfterOptimizerStep(0, 4);
        Assert.Equal(0, folk.Center.Value.abs().sum().item<float>());           // computing losses moves no state, even across a step
        folk.Observe(a);
        folk.Observe(b);
        Assert.Equal(0, folk.Center.Value.abs().sum().item<float>());           // observing gathers; only the step moves the centre
        folk.AfterOptimizerStep(1, 4);
        using var batchMean = cat(f.TeacherLogits.ToArray(), 0).mean(new long[] { 0 }, keepdim: true);
        TensorAssert.CloseRelativeToMax(batchMean * 0.1, folk.Center.Value, 1e-5, "c = 0.9·0 + 0.1·mean of the two observed batches");
        TensorAssert.CloseRelativeToMax(batchMean, a.Statistics![Folk.Lab.Methods.Folk.TeacherCenter], 1e-6, "the statistic is the batch's mean teacher output");
    }

    [Fact]
    public void ItsCheckpointHoldsTeacherCentreAndSchedule()
    {
        using var folk = TinyFolk.Method();
        var keys = folk.Checkpointed.state_dict().Keys.ToList();
        Assert.Contains("teacher.encoder.cls_token", keys);
        Assert.Contains("teacher.head.last_layer.weight_v", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("teacher.decoder", StringComparison.Ordinal));
        Assert.Contains("student.decoder.conv.weight", keys);
        Assert.Contains("student.head.mlp.0.weight", keys);
        Assert.Contains("dino_loss.center", keys);
        Assert.Contains("schedule", keys);
        Assert.Same(folk.Student.Encoder, folk.Encoder);                         // Auto: an untrained teacher is not exported
        using var teacherExport = TinyFolk.Method(TinyFolk.Config with { Export = FolkExport.Teacher });
        Assert.Same(teacherExport.Teacher.Encoder, teacherExport.Encoder);
        using var studentExport = TinyFolk.Method(TinyFolk.Config with { Export = FolkExport.Student });
        Assert.Same(studentExport.Student.Encoder, studentExport.Encoder);
    }

    [Fact]
    public void RadialMasksLambdaZeroResNetAndMultiCropVariantsTrain()
    {
        using var views = TinyFolk.Views(2);
        using var radial = TinyFolk.Method(TinyFolk.Config with { Filter = FolkFilter.Radial, RadialMasks = new RadialMaskOptions().ScaledTo(16) });
        using (var f = radial.Forward(views, new Generator(0)))
            Assert.All(f.Masks.SelectMany(m => m.Samples), s => Assert.True(s.Kind is MaskKind.LowPass or MaskKind.HighPass));

        using var noDistill = TinyFolk.Method(TinyFolk.Config with { DistillationWeight = 0 });
        using (var t = noDistill.Loss(views, new Generator(0)))
            Assert.Equal(t.Values()["loss_rec"], t.Values()["loss"], 6);
    }

    [Fact]
    public void MultiCropTrains()
    {

        var multi = TinyFolk.Config with { Views = TinyFolk.Config.Views with { LocalCrops = 2, LocalSize = 8 } };
        using var multiViews = TinyFolk.Views(2, config: multi);
        Assert.Equal(new[] { 16L, 16, 8, 8 }, multiViews.Views.Select(v => v.shape[2]));
        using var multiCrop = TinyFolk.Method(multi);
        using (var f = multiCrop.Forward(multiViews, new Generator(0)))
        {
            Assert.Equal(4, f.StudentLogits.Count);
            Assert.Equal(2, f.TeacherLogits.Count);
            Assert.Equal(2, f.Reconstructions.Count);
        }
        using (var t = multiCrop.Loss(multiViews, new Generator(0))) Assert.True(double.IsFinite(t.Values()["loss"]));
    }

    [Fact]
    public void ResNetTrains()
    {

        torch.manual_seed(0);
        var resnetConfig = TinyFolk.Config with { Views = new Folk.Lab.Data.Transforms.MultiViewOptions { Size = 32 } };
        using var resnet = new Folk.Lab.Methods.Folk(new ResNet(new[] { 1, 1, 1, 1 }), new ResNet(new[] { 1, 1, 1, 1 }), resnetConfig, 2);
        using var resnetViews = TinyFolk.Views(2, config: resnetConfig);
        // The backward runs through layer3's and layer4's strided shortcuts (512→1024, 1024→2048), whose oneDNN
        // kernel used to kill the process with SIGFPE on CPUs without cache information (Bottleneck's remarks).
        using (var t = resnet.Loss(resnetViews, new Generator(0)))
        {
            Assert.True(double.IsFinite(t.Values()["loss"]));
            t.Loss.backward();
        }
        Assert.All(resnet.Student.Encoder.parameters(), p => Assert.True(p.grad is not null && p.grad.isfinite().all().item<bool>()));
        Assert.Equal(2048, resnet.Student.Head.parameters().First().shape[1]);     // the pooled-feature projection head
    }
}
