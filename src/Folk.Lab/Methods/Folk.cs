using Folk.Lab.Data;
using Folk.Lab.Frequency;
using Folk.Lab.Losses;
using Folk.Lab.Masks;
using Folk.Lab.Models;
using Folk.Lab.Methods.Schedules;
using static TorchSharp.torch;

namespace Folk.Lab.Methods;

/// <summary>
/// FOLK (arXiv 2409.10362, §3 and Fig. 3; Folk.Lab's defaults where the paper is silent): each image gives two
/// augmented views u, v; the student sees them filtered by an informed Com/RCom mask drawn per view (ũ, ṽ),
/// reconstructs the removed frequencies with MFM's head, and, through DINO's projection head, matches the teacher's
/// centred, sharpened output on the <i>other</i>, unfiltered view. The
/// teacher is an EMA of the student's encoder and projection head (no MFM head, no gradients).
/// <c>L = L_MFM + λ·L_KD</c>; logs "loss", "loss_rec", "loss_distill" and "teacher_temp".
/// </summary>
/// <remarks>
/// <para>Input: a batch of the views of <see cref="Data.Transforms.MultiViewTransform"/> (<see cref="Layout"/>).
/// Masks are drawn from the step generator in view order, so a seed fixes them.</para>
/// <para>State outside the student (checkpointed with it): the teacher (<c>teacher.*</c>), DINO's centre
/// (<c>dino_loss.center</c>) and the schedule position (<c>schedule</c>: optimiser steps taken, total).
/// <see cref="Loss"/> moves none of it: it returns the teacher's batch centre as the statistic "teacher_center",
/// <see cref="Observe"/> gathers it, and <see cref="AfterOptimizerStep"/> moves the centre by the mean of the batches
/// observed since the last optimiser step (DINO: the last batch) and lets the teacher follow.</para>
/// </remarks>
/// <seealso href="../../notebooks/05-folk-pretraining.ipynb">notebook 05</seealso>
public sealed class Folk : nn.Module, IPretrainingMethod
{
    private readonly FolkBranch student;
    private readonly FolkBranch teacher;
    private readonly DistillationCenter dino_loss;
    private readonly Tensor schedule;
    readonly ExponentialMovingAverage _ema;
    readonly IFrequencyMask _mask;
    Tensor? _pendingCenter;
    int _pendingBatches;

    /// <summary>The configuration.</summary>
    public FolkConfig Config { get; }

    /// <summary>Length of the run in epochs (the teacher temperature is scheduled per epoch).</summary>
    public int Epochs { get; }

    /// <summary>The views a batch must hold.</summary>
    public ViewLayout Layout { get; }

    /// <summary>
    /// FOLK with <paramref name="studentEncoder"/> and a <paramref name="teacherEncoder"/> of the same architecture
    /// (its weights are overwritten by the student's: DINO's teacher starts as a copy).
    /// </summary>
    public Folk(Encoder studentEncoder, Encoder teacherEncoder, FolkConfig? config = null, int epochs = 300)
        : base(nameof(Folk))
    {
        Config = config ?? new FolkConfig();
        Config.Validate();
        Guard.Positive(epochs, nameof(epochs));
        Epochs = epochs;
        Layout = Config.Views.Layout;
        student = new FolkBranch(studentEncoder, Config.Head, withDecoder: true);
        teacher = new FolkBranch(teacherEncoder, Config.Head, withDecoder: false);
        dino_loss = new DistillationCenter(Config.Head.OutputDim, Config.CenterMomentum);
        schedule = zeros(2, dtype: ScalarType.Int64);
        RegisterComponents();
        _ema = new ExponentialMovingAverage(teacher, student);
        _ema.CopySource();
        _mask = Config.Filter == FolkFilter.Informed ? new FolkMask(Config.Masks) : new RadialMask(Config.RadialMasks);
    }

    /// <inheritdoc/>
    public string Name => "folk";

    /// <inheritdoc/>
    public nn.Module Trainable => student;

    /// <inheritdoc/>
    public nn.Module Checkpointed => this;

    /// <inheritdoc/>
    /// <remarks>The branch of <see cref="ExportedBranch"/>: with <see cref="FolkExport.Auto"/> it depends on how far the
    /// run has gone, so read it after training.</remarks>
    public Encoder Encoder => ExportedBranch == FolkExport.Teacher ? teacher.Encoder : student.Encoder;

    /// <summary>The branch <see cref="Encoder"/> exports now: <see cref="FolkConfig.Export"/>, with
    /// <see cref="FolkExport.Auto"/> resolved by <see cref="TeacherInitialShare"/> (never Auto itself).</summary>
    public FolkExport ExportedBranch => Config.Export switch
    {
        FolkExport.Auto => TeacherInitialShare <= Config.AutoExportInitialShare ? FolkExport.Teacher : FolkExport.Student,
        var fixedBranch => fixedBranch,
    };

    /// <inheritdoc/>
    public string ExportedEncoder
    {
        get
        {
            double share = TeacherInitialShare;
            string branch = ExportedBranch == FolkExport.Teacher ? "teacher" : "student";
            return Config.Export == FolkExport.Auto
                ? $"{branch} (the teacher holds {share:0.####} of its initial weights; the teacher is exported at ≤ {Config.AutoExportInitialShare:0.####})"
                : $"{branch} (the teacher holds {share:0.####} of its initial weights)";
        }
    }

    /// <summary>The share of the teacher's weights that is still its initialisation, <c>∏ m_t</c> over the optimiser
    /// steps taken (1 before training; restored from checkpoints with the schedule position).</summary>
    public double TeacherInitialShare
    {
        get
        {
            var (steps, total) = SchedulePosition();
            return InitialShare(Config, steps, total);
        }
    }

    /// <summary>
    /// <c>∏_{t &lt; steps} m_t</c> for the teacher momentum of <paramref name="config"/> scheduled over
    /// <paramref name="totalSteps"/> optimiser steps: the share of the initial weights left in the teacher after
    /// <paramref name="steps"/> updates <c>θ ← m_t θ + (1 − m_t) θ_student</c>. For DINO's cosine 0.996 → 1 over a whole
    /// run of T steps it is about <c>exp(−0.002 T)</c>.
    /// </summary>
    public static double InitialShare(FolkConfig config, long steps, long totalSteps)
    {
        ArgumentNullException.ThrowIfNull(config);
        var momentum = new CosineMomentum(config.TeacherMomentum, config.TeacherMomentumEnd, totalSteps);
        double log = 0;
        for (long t = 0; t < steps; t++)
        {
            double m = momentum.At(t);
            if (m <= 0) return 0;
            log += Math.Log(m);
        }
        return Math.Exp(log);
    }

    /// <summary>The student branch (encoder, MFM head, projection head).</summary>
    public FolkBranch Student => student;

    /// <summary>The teacher branch (encoder, projection head).</summary>
    public FolkBranch Teacher => teacher;

    /// <summary>DINO's centre.</summary>
    public DistillationCenter Center => dino_loss;

    /// <summary>Optimiser steps taken so far (restored from checkpoints).</summary>
    public long StepsTaken => SchedulePosition().Steps;

    /// <summary>The teacher temperature of the current epoch.</summary>
    public double TeacherTemperature
    {
        get
        {
            var (steps, total) = SchedulePosition();
            int epoch = total > 0 ? (int)Math.Min(Epochs - 1, steps * Epochs / total) : 0;
            return Config.TeacherTemperature.At(epoch);
        }
    }

    (long Steps, long Total) SchedulePosition()
    {
        using var cpu = schedule.cpu();
        var values = cpu.data<long>();
        return (values[0], values[1]);
    }

    /// <summary>
    /// One forward pass on a batch of views (<see cref="Layout"/>, each B×3×s×s float32 in [0,1], on the method's
    /// device): masks, filtered student inputs, reconstructions and both branches' projections. Moves no state.
    /// </summary>
    public FolkForward Forward(Batch batch, Generator generator)
    {
        Layout.Check(batch);
        using var scope = NewDisposeScope();
        var views = batch.Views.Select(v => v.alias()).ToArray();
        int g = Layout.GlobalViews;
        var masks = new MaskBatch[views.Length];
        var inputs = new Tensor[views.Length];
        for (int v = 0; v < views.Length; v++)
        {
            masks[v] = _mask.Sample(views[v], generator, batch.Shard);
            inputs[v] = Config.FilterSpace == FolkFilterSpace.PixelsClamped
                ? ImageNetNormalization.Normalize(FrequencyFilter.Apply(views[v], masks[v].Masks))
                : FrequencyFilter.Apply(ImageNetNormalization.Normalize(views[v]), masks[v].Masks, clamp: false);
        }

        // student: the global views in one batch (both heads), each local view on its own (projection head only)
        var global = student.Encoder.Outputs(cat(inputs[..g], 0), Config.DistilledFeature);
        var reconstructions = student.Decoder!.forward(Autocast.Float(global.Map!)).chunk(g, 0);
        var studentLogits = student.Head.forward(global.Global).chunk(g, 0).ToList();
        for (int v = g; v < views.Length; v++)
            studentLogits.Add(student.Head.forward(student.Encoder.Outputs(inputs[v], Config.DistilledFeature, withMap: false).Global));
        var targets = views[..g].Select(ImageNetNormalization.Normalize).ToArray();

        // teacher: the unfiltered global views, no gradients
        Tensor[] teacherLogits;
        using (no_grad())
        {
            var t = teacher.Encoder.Outputs(ImageNetNormalization.Normalize(cat(views[..g], 0)), Config.DistilledFeature, withMap: false);
            teacherLogits = teacher.Head.forward(t.Global).detach().chunk(g, 0);
        }
        return new FolkForward(views, masks, inputs, reconstructions, targets, studentLogits, teacherLogits).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    /// <param name="batch">The views of <see cref="Layout"/>.</param>
    /// <param name="generator">Source of the masks.</param>
    public LossTerms Loss(Batch batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var forward = Forward(batch, generator);
        var reconstruction = ReconstructionLoss(forward, batch.Shard);
        double temperature = TeacherTemperature;
        var distillation = Config.Distillation == FolkDistillation.DinoCrossEntropy
            ? DistillationLoss.CrossView(forward.StudentLogits,
                forward.TeacherLogits.Select(t => DistillationLoss.TeacherProbabilities(t, dino_loss.Value, temperature)).ToArray(), Config.StudentTemperature)
            : DistillationLoss.CosineCrossView(forward.StudentLogits, forward.TeacherLogits);
        var loss = reconstruction + Config.DistillationWeight * distillation;

        var terms = new Dictionary<string, Tensor>
        {
            ["loss"] = loss.detach(),
            ["loss_rec"] = reconstruction.detach(),
            ["loss_distill"] = distillation.detach(),
            ["teacher_temp"] = tensor(temperature),
        };
        var statistics = new Dictionary<string, Tensor> { [TeacherCenter] = DistillationCenter.BatchCenter(cat(forward.TeacherLogits.ToArray(), 0)) };
        return new LossTerms(loss, terms, statistics).MoveToOuterDisposeScope();
    }

    /// <summary>The statistic <see cref="Loss"/> returns: the mean teacher output of the batch, 1×K.</summary>
    public const string TeacherCenter = "teacher_center";

    /// <inheritdoc/>
    /// <remarks>Adds the batch's teacher centre to those gathered since the last optimiser step.</remarks>
    public void Observe(LossTerms terms)
    {
        var batchCenter = terms.Statistics?.GetValueOrDefault(TeacherCenter)
            ?? throw new ArgumentException($"These terms hold no '{TeacherCenter}': pass what Folk.Loss returned.", nameof(terms));
        var pending = (_pendingCenter is null ? batchCenter.clone() : _pendingCenter + batchCenter).DetachFromDisposeScope();
        _pendingCenter?.Dispose();
        _pendingCenter = pending;
        _pendingBatches++;
    }

    Tensor ReconstructionLoss(FolkForward f, BatchShard? shard)
    {
        int g = f.Reconstructions.Count;
        Tensor One(Tensor prediction, Tensor target, Tensor mask) => Config.Reconstruction switch
        {
            FolkReconstructionLoss.RemovedFrequencies => FrequencyLoss.Masked(prediction, target, mask, shard: shard),
            FolkReconstructionLoss.AllFrequencies => FrequencyLoss.Mean(prediction, target),
            _ => nn.functional.mse_loss(prediction, target),
        };
        if (Config.ViewReduction == FolkViewReduction.Pooled)
            return One(cat(f.Reconstructions.ToArray(), 0), cat(f.Targets.ToArray(), 0), cat(f.Masks.Take(g).Select(m => m.Masks).ToArray(), 0));
        var total = One(f.Reconstructions[0], f.Targets[0], f.Masks[0].Masks);
        for (int v = 1; v < g; v++) total = total + One(f.Reconstructions[v], f.Targets[v], f.Masks[v].Masks);
        return total / g;
    }

    /// <inheritdoc/>
    /// <remarks>The teacher follows the student with the cosine momentum of <paramref name="step"/> (0.996 → 1), the
    /// centre moves by the batches since the last call, and the schedule position advances.</remarks>
    public void AfterOptimizerStep(long step, long totalSteps)
    {
        _ema.Update(new CosineMomentum(Config.TeacherMomentum, Config.TeacherMomentumEnd, totalSteps).At(step));
        if (_pendingCenter is not null)
        {
            using (var mean = _pendingCenter / _pendingBatches) dino_loss.Update(mean);
            _pendingCenter.Dispose();
            _pendingCenter = null;
            _pendingBatches = 0;
        }
        using var position = tensor(new[] { step + 1, totalSteps });
        using var noGrad = no_grad();
        schedule.copy_(position);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
