using static TorchSharp.torch;

namespace Folk.Lab.Masks;

/// <summary>FOLK ambiguity #3: how often the filter type and τ are drawn.</summary>
public enum FolkMaskSampling
{
    /// <summary>Default. Every image (every view) draws its own type and τ: the most
    /// varied pretext task, and the reading of "informed per image".</summary>
    PerImage,

    /// <summary>Alternative. One draw for the whole batch.</summary>
    PerBatch,
}

/// <summary>How FOLK draws a filter for each view.</summary>
/// <remarks>Every default below is Folk.Lab's choice (FOLK's code was never published), except the
/// thresholds, which an ICLR 2025 reviewer quotes from the paper.</remarks>
public sealed record FolkMaskOptions
{
    /// <summary>Probability of Com (else RCom): 0.5, both filters equally (Folk.Lab's choice).</summary>
    public double ComProbability { get; init; } = 0.5;

    /// <summary>The τ pool, drawn uniformly: {0.005, 0.01, 0.05}, the thresholds an ICLR 2025 reviewer quotes.</summary>
    public IReadOnlyList<double> KeepFractions { get; init; } = new[] { 0.005, 0.01, 0.05 };

    /// <summary>Ranking and threshold (ambiguities #1 and #2; Folk.Lab's defaults).</summary>
    public ComMaskOptions Com { get; init; } = new();

    /// <summary>Per image or per batch (ambiguity #3; default per image).</summary>
    public FolkMaskSampling Sampling { get; init; } = FolkMaskSampling.PerImage;

    /// <summary>Probability of drawing one of MFM's radial masks instead of Com/RCom: 0, off (Folk.Lab keeps
    /// MFM's filters out of the pool by default; whether FOLK's own pool holds them is unverified).</summary>
    public double RadialProbability { get; init; }

    /// <summary>MFM's radial masks, used when <see cref="RadialProbability"/> &gt; 0 (MFM defaults).</summary>
    public RadialMaskOptions Radial { get; init; } = new();

    internal void Validate()
    {
        Guard.Probability(ComProbability, nameof(ComProbability));
        Guard.Probability(RadialProbability, nameof(RadialProbability));
        if (KeepFractions.Count == 0) throw new ArgumentException("KeepFractions must hold at least one τ.", nameof(KeepFractions));
        for (int i = 0; i < KeepFractions.Count; i++) Guard.OpenUnitInterval(KeepFractions[i], $"KeepFractions[{i}]");
        Radial.Validate();
    }
}

/// <summary>
/// FOLK's informed filter for one view: Com or RCom with a τ from the pool, drawn per image (arXiv 2409.10362, §3.2.1).
/// </summary>
/// <seealso href="../../notebooks/01-mask-gallery.ipynb">notebook 01, the mask gallery</seealso>
public sealed class FolkMask : IFrequencyMask
{
    readonly RadialMask? _radial;

    /// <summary>The options this mask samples with.</summary>
    public FolkMaskOptions Options { get; }

    /// <summary>Creates the sampler; throws if an option is out of range.</summary>
    public FolkMask(FolkMaskOptions? options = null)
    {
        Options = options ?? new FolkMaskOptions();
        Options.Validate();
        if (Options.RadialProbability > 0) _radial = new RadialMask(Options.Radial);
    }

    /// <inheritdoc/>
    public MaskBatch Sample(Tensor images, Generator generator, Data.BatchShard? shard = null)
    {
        Guard.ImageBatch(images, nameof(images));
        long batch = images.shape[0];
        bool perImage = Options.Sampling == FolkMaskSampling.PerImage;
        long draws = perImage ? Data.BatchShard.DrawCount(shard, batch) : 1;

        using var scope = NewDisposeScope();
        // Three uniforms per draw, in a fixed order: filter type, τ, radial-or-not.
        var drawn = rand(new[] { draws, 3 }, dtype: ScalarType.Float64, generator: generator, device: generator.device);
        var u = (perImage ? Data.BatchShard.Keep(shard, drawn, batch) : drawn).cpu().contiguous().data<double>().ToArray();
        var isCom = new bool[batch];
        var isRadial = new bool[batch];
        var taus = new double[batch];
        for (int i = 0; i < batch; i++)
        {
            int d = Options.Sampling == FolkMaskSampling.PerImage ? i : 0;
            isCom[i] = u[3 * d] < Options.ComProbability;
            taus[i] = Options.KeepFractions[Math.Min((int)(u[3 * d + 1] * Options.KeepFractions.Count), Options.KeepFractions.Count - 1)];
            isRadial[i] = u[3 * d + 2] < Options.RadialProbability;
        }

        var com = ComMask.Compute(images, taus, Options.Com);
        var shape = com.dim() == 4 ? new[] { batch, 1L, 1, 1 } : new[] { batch, 1L, 1 };
        var reverse = tensor(isCom.Select(c => !c).ToArray(), device: images.device).view(shape);
        var masks = where(reverse, Mask.Complement(com), com);
        var samples = Enumerable.Range(0, (int)batch)
            .Select(i => new MaskSample(isCom[i] ? MaskKind.Com : MaskKind.RCom, taus[i])).ToArray();

        if (_radial is not null && isRadial.Any(r => r))
        {
            using var radial = _radial.Sample(images, generator, shard);
            var radialMasks = com.dim() == 4 ? radial.Masks.unsqueeze(1).expand_as(masks) : radial.Masks;
            masks = where(tensor(isRadial, device: images.device).view(shape), radialMasks, masks);
            for (int i = 0; i < batch; i++) if (isRadial[i]) samples[i] = radial.Samples[i];
        }
        return new MaskBatch(masks.MoveToOuterDisposeScope(), samples);
    }
}
