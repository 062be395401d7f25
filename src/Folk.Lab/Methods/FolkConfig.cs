using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Frequency;
using Folk.Lab.Masks;
using Folk.Lab.Methods.Schedules;
using Folk.Lab.Models;
using Folk.Lab.Models.Heads;

namespace Folk.Lab.Methods;

/// <summary>Which filters make the student's views (an ablation switch).</summary>
public enum FolkFilter
{
    /// <summary>Default. FOLK's informed Com/RCom filters (<see cref="FolkMask"/>; FOLK paper, arXiv 2409.10362, §3.2.1).</summary>
    Informed,

    /// <summary>Ablation. MFM's fixed low/high-pass radial masks (<see cref="RadialMask"/>), FOLK's motivation (1).</summary>
    Radial,
}

/// <summary>FOLK ambiguity #4: where the filter is applied.</summary>
public enum FolkFilterSpace
{
    /// <summary>Default. On the [0,1] view, clamped to [0,1], then normalised (MFM's order, Jiahao000/MFM <c>models/mfm.py</c>).</summary>
    PixelsClamped,

    /// <summary>Alternative. On the ImageNet-normalised view, unclamped.</summary>
    NormalisedUnclamped,
}

/// <summary>FOLK ambiguity #5: what the MFM head's loss compares.</summary>
public enum FolkReconstructionLoss
{
    /// <summary>Default. MFM's frequency loss on the removed frequencies (Jiahao000/MFM <c>models/frequency_loss.py</c>).</summary>
    RemovedFrequencies,

    /// <summary>Alternative. The frequency loss averaged over every frequency (MFM's <c>normal</c> reduction).</summary>
    AllFrequencies,

    /// <summary>Alternative. Pixel mean squared error against the normalised clean view.</summary>
    PixelMse,
}

/// <summary>How the reconstruction losses of the two views combine (FOLK leaves sum or mean open).</summary>
public enum FolkViewReduction
{
    /// <summary>Default. The mean of the per-view MFM losses: each view's loss has MFM's scale, so λ = 1 weighs the
    /// two objectives as a single-view MFM loss would be weighed.</summary>
    MeanOfViews,

    /// <summary>Alternative. One MFM reduction (batch-global normaliser) over the removed frequencies of both views.</summary>
    Pooled,
}

/// <summary>FOLK ambiguity #6: the form of the distillation loss.</summary>
public enum FolkDistillation
{
    /// <summary>Default. DINO's cross-entropy with centring and sharpening on the global token (DINO, arXiv 2104.14294).</summary>
    DinoCrossEntropy,

    /// <summary>Alternative. Cosine feature regression, <c>2 − 2 cos</c>, on the head outputs (the paper's
    /// "reconstruct the feature representation" wording).</summary>
    CosineRegression,
}

/// <summary>FOLK ambiguity #11: the weights exported for downstream tasks.</summary>
public enum FolkExport
{
    /// <summary>The teacher backbone (the DINO/iBOT convention), whatever the run's length.</summary>
    Teacher = 0,

    /// <summary>The student backbone.</summary>
    Student = 1,

    /// <summary>Default. The teacher once it has left its random initialisation behind, else the student (Folk.Lab):
    /// the teacher is an EMA that starts as a copy of the untrained student, and after optimiser step t it still holds
    /// the share <c>∏ m_t</c> of those initial weights (0.93, 0.88 and 0.81 after runs of 34, 64 and 104 steps with
    /// DINO's 0.996 → 1). It is exported when that share is at most <see cref="FolkConfig.AutoExportInitialShare"/>:
    /// every run of MFM's or DINO's length, so the paper's teacher is kept where the paper trained.</summary>
    Auto = 2,
}

/// <summary>
/// Everything that defines FOLK besides its encoder and optimiser. FOLK's code was never published, so every default
/// is Folk.Lab's most plausible reading of the paper or DINO's default ([D]); each ambiguity (numbered as in the
/// README) that the method decides is a switch here (#1–#3 live in <see cref="FolkMaskOptions"/>, #8 in
/// <see cref="Views"/>, #9 in the momentum pair, #10 in the presets).
/// </summary>
public sealed record FolkConfig : MethodConfig
{
    /// <summary>The ResNet-50 setting: radial masks, when chosen for the ablation, use MFM's RN-50 p_low = 0.3
    /// (ambiguity #14, Folk.Lab's choice).</summary>
    public static FolkConfig ResNet50 => new() { RadialMasks = RadialMaskOptions.ResNet50 };

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Name => "folk";

    /// <summary>Informed Com/RCom filters or MFM's radial masks (FOLK paper, arXiv 2409.10362, §3.2.1; the radial ones are the ablation).</summary>
    public FolkFilter Filter { get; init; } = FolkFilter.Informed;

    /// <summary>Com/RCom sampling: p(Com) 0.5, τ ∈ {0.005, 0.01, 0.05}, per view (τ values: the FOLK
    /// paper's thresholds, arXiv 2409.10362; the rest is Folk.Lab's reading of ambiguities #1–#3).</summary>
    public FolkMaskOptions Masks { get; init; } = new();

    /// <summary>Radial masks for <see cref="FolkFilter.Radial"/> (MFM: r = 16 at 224², p_low 0.5; scale to the image size).</summary>
    public RadialMaskOptions RadialMasks { get; init; } = new();

    /// <summary>Filter on clamped pixels, then normalise (ambiguity #4; MFM's order, Jiahao000/MFM <c>models/mfm.py</c>).</summary>
    public FolkFilterSpace FilterSpace { get; init; } = FolkFilterSpace.PixelsClamped;

    /// <summary>The MFM head's loss (ambiguity #5; default MFM's loss on the removed frequencies).</summary>
    public FolkReconstructionLoss Reconstruction { get; init; } = FolkReconstructionLoss.RemovedFrequencies;

    /// <summary>How the two views' reconstruction losses combine (FOLK leaves sum or mean open; mean keeps MFM's scale).</summary>
    public FolkViewReduction ViewReduction { get; init; } = FolkViewReduction.MeanOfViews;

    /// <summary>The distillation loss (ambiguity #6; default DINO cross-entropy).</summary>
    public FolkDistillation Distillation { get; init; } = FolkDistillation.DinoCrossEntropy;

    /// <summary>The encoder output the projection head reads ([CLS]: cross-view pairs rule out patch losses).</summary>
    public GlobalFeature DistilledFeature { get; init; } = GlobalFeature.ClassToken;

    /// <summary>λ in <c>L = L_MFM + λ·L_KD</c> (ambiguity #7; default 1).</summary>
    public double DistillationWeight { get; init; } = 1.0;

    /// <summary>The projection head: 3 layers, 2048 hidden, 256 bottleneck, K = 65536 (DINO defaults [D]; ambiguity #6).</summary>
    public DinoHeadConfig Head { get; init; } = new();

    /// <summary>τ_s (DINO <c>--student_temp</c> 0.1 [D]).</summary>
    public double StudentTemperature { get; init; } = 0.1;

    /// <summary>τ_t 0.04 → 0.07 over 30 epochs (DINO README ViT-S 300-epoch recipe [D]).</summary>
    public TeacherTemperature TeacherTemperature { get; init; } = new();

    /// <summary>Centre momentum m (DINO <c>center_momentum</c> 0.9 [D]).</summary>
    public double CenterMomentum { get; init; } = 0.9;

    /// <summary>Teacher EMA momentum at the first step (ambiguity #9; DINO <c>--momentum_teacher</c> 0.996 [D]).</summary>
    public double TeacherMomentum { get; init; } = 0.996;

    /// <summary>Teacher EMA momentum at the last step, reached by a cosine (DINO: 1 [D]); equal to the start for a fixed momentum.</summary>
    public double TeacherMomentumEnd { get; init; } = 1.0;

    /// <summary>The views (ambiguity #8; two DINO global crops, no local crops: FOLK paper,
    /// arXiv 2409.10362, Fig. 3 shows two views).</summary>
    public MultiViewOptions Views { get; init; } = new();

    /// <summary>The backbone exported for downstream use (ambiguity #11; the teacher by the DINO/iBOT convention;
    /// Folk.Lab's Auto keeps it for every run long enough for the teacher to have forgotten its initialisation).</summary>
    public FolkExport Export { get; init; } = FolkExport.Auto;

    /// <summary>
    /// With <see cref="FolkExport.Auto"/>, the largest share of its initial weights (<c>∏ m_t</c>) the teacher may
    /// still hold to be exported (Folk.Lab: 0.01). The two mistakes are not alike: a student exported where the teacher
    /// was ready loses what the teacher's averaging adds (DINO, arXiv 2104.14294: its momentum teacher stays a few
    /// points ahead of its student through training), a teacher exported too early is partly a random network. So the
    /// bar is high: under 1 % of the initialisation left, reached after about
    /// ln(100) / 0.002 ≈ 2,300 steps of a whole run with 0.996 → 1 (∏ m_t ≈ exp(−0.002·T) over T steps); MFM's
    /// recipe takes 187,500.
    /// </summary>
    public double AutoExportInitialShare { get; init; } = 0.01;

    /// <summary>These settings with τ read as <paramref name="reading"/>: ambiguity #1, the riskiest choice of the recipe
    /// (the two readings keep opposite trends across τ; <see cref="ComThreshold"/>), so FOLK's ablations run both.</summary>
    public FolkConfig WithTauReading(ComThreshold reading) => this with { Masks = Masks with { Com = Masks.Com with { Threshold = reading } } };

    /// <summary>
    /// How the views' blur σ, DINO's [0.1, 2] pixels at 224², carries over to the run's image size (Folk.Lab): by default
    /// so that it removes the same share of spectral energy as at 224² (<see cref="SizeScaling"/>; [0.17, 1.00] at 32²,
    /// where DINO's pixels would blur away a 6-pixel texture on every first view).
    /// </summary>
    /// <remarks>Not written into run folders as such: they record what it changes, the views' blur range, whenever that
    /// differs from DINO's, so that folders written at 224² before the rule existed still resume.</remarks>
    [JsonIgnore]
    public SizeScaling SizeScaling { get; init; } = SizeScaling.MatchedEnergy;

    /// <summary>These settings for images of <paramref name="imageSize"/> pixels: the global views at that side with
    /// their blur σ scaled by <see cref="SizeScaling"/>, and the radial masks scaled by size / 224.</summary>
    public FolkConfig SizedTo(int imageSize) => this with
    {
        Views = Views with
        {
            Size = imageSize,
            BlurSigmaMin = SizeScaling.Sigma(Views.BlurSigmaMin, imageSize),
            BlurSigmaMax = SizeScaling.Sigma(Views.BlurSigmaMax, imageSize),
        },
        RadialMasks = RadialMasks.ScaledTo(imageSize),
    };

    /// <inheritdoc/>
    /// <remarks>What is exported, <see cref="Export"/> and <see cref="AutoExportInitialShare"/>: a run folder resumes
    /// when only they change.</remarks>
    [JsonIgnore]
    public override IReadOnlyCollection<string> ExportSettings => ["Folk.Export", "Folk.AutoExportInitialShare"];

    /// <inheritdoc/>
    /// <remarks>The student's and the teacher's encoders are two calls of <see cref="MethodContext.NewEncoder"/>; the
    /// teacher starts as a copy of the student.</remarks>
    public override IPretrainingMethod Build(MethodContext context) =>
        new Folk(context.NewEncoder(), context.NewEncoder(), SizedTo(context.ImageSize), context.Epochs);

    /// <inheritdoc/>
    /// <remarks>DINO's views without normalisation (<see cref="MultiViewTransform.Dino"/>).</remarks>
    public override IViewTransform Augmentation(int imageSize) => MultiViewTransform.Dino(SizedTo(imageSize).Views);

    /// <inheritdoc/>
    /// <remarks>Recorded sized to the run (views and radial masks), as FOLK run folders have always recorded them,
    /// including the packed sample length (Σ 3·s²) that run folders recorded while the views travelled packed, so
    /// that those folders still resume; the views' blur range only when it is not DINO's [0.1, 2], for the same reason.</remarks>
    public override JsonObject Describe(int imageSize)
    {
        var sized = SizedTo(imageSize);
        var node = JsonSerializer.SerializeToNode(sized)!.AsObject();
        var views = node["Views"]!.AsObject();
        views["Layout"]!["Length"] = sized.Views.Layout.Sizes.Sum(s => 3L * s * s);
        var dino = new MultiViewOptions();
        if (sized.Views.BlurSigmaMin == dino.BlurSigmaMin && sized.Views.BlurSigmaMax == dino.BlurSigmaMax)
        {
            views.Remove(nameof(MultiViewOptions.BlurSigmaMin));           // DINO's range, all that earlier folders knew
            views.Remove(nameof(MultiViewOptions.BlurSigmaMax));
        }
        return new JsonObject { ["Folk"] = node };
    }

    internal void Validate()
    {
        Guard.NonNegative(DistillationWeight, nameof(DistillationWeight));
        Guard.Positive(StudentTemperature, nameof(StudentTemperature));
        Guard.Positive(TeacherTemperature.Start, nameof(TeacherTemperature));
        Guard.Positive(TeacherTemperature.End, nameof(TeacherTemperature));
        Guard.Probability(CenterMomentum, nameof(CenterMomentum));
        Guard.Probability(TeacherMomentum, nameof(TeacherMomentum));
        Guard.Probability(TeacherMomentumEnd, nameof(TeacherMomentumEnd));
        Guard.Probability(AutoExportInitialShare, nameof(AutoExportInitialShare));
        Masks.Validate();
        RadialMasks.Validate();
    }
}
