using Folk.Lab.Corruptions;
using Folk.Lab.Data;
using Folk.Lab.Losses;
using Folk.Lab.Masks;
using Folk.Lab.Models;
using static TorchSharp.torch;

namespace Folk.Lab.Methods;

/// <summary>
/// Masked Frequency Modeling: each image loses a low- or high-pass band of its spectrum (MFM's radial mask, drawn per
/// image) and the model predicts the missing frequencies; the loss is averaged over the removed frequencies of the
/// whole batch (<c>RECOVER_TARGET_TYPE='masked'</c>, Jiahao000/MFM <c>models/mfm.py</c>).
/// </summary>
/// <remarks>Besides "loss", logs "loss_low" and "loss_high": the masked loss over the low-pass and the high-pass
/// images of the batch alone (detached; NaN when the batch has none of that kind). With
/// <see cref="ReconstructionTarget.AllFrequencies"/> (the target ablation) "loss" is the mean over every frequency and
/// the two halves stay the masked loss, so that runs of both targets log the same measure of the removed bands.</remarks>
/// <seealso href="../../notebooks/03-mfm-pretraining.ipynb">notebook 03</seealso>
public sealed class Mfm : ReconstructionMethod
{
    /// <summary>MFM with the given encoder, mask options (MFM's defaults: r = 16, p_low = 0.5), loss options and
    /// target (MFM's: the removed frequencies).</summary>
    public Mfm(Encoder encoder, RadialMaskOptions? masks = null, FrequencyLossOptions? loss = null, ReconstructionTarget target = ReconstructionTarget.MaskedFrequencies)
        : this(encoder, new RadialMask(masks), loss, target) { }

    /// <summary>MFM's wiring with any mask strategy (FOLK's masks, random masks: the mask ablations).</summary>
    public Mfm(Encoder encoder, IFrequencyMask mask, FrequencyLossOptions? loss = null, ReconstructionTarget target = ReconstructionTarget.MaskedFrequencies)
        : base(nameof(Mfm), encoder, new MaskedFrequencyCorruption(mask), loss) => Target = target;

    /// <inheritdoc/>
    public override string Name => "mfm";

    /// <summary>Which frequencies "loss" compares.</summary>
    public ReconstructionTarget Target { get; }

    /// <inheritdoc/>
    protected override LossTerms Reduce(Tensor prediction, Tensor target, CorruptedBatch corrupted, BatchShard? shard)
    {
        var masks = corrupted.Masks!;
        var loss = Target == ReconstructionTarget.AllFrequencies
            ? FrequencyLoss.Mean(prediction, target, LossOptions)
            : FrequencyLoss.Masked(prediction, target, masks.Masks, LossOptions, shard);
        var terms = new Dictionary<string, Tensor> { ["loss"] = loss.detach() };
        using (no_grad())
        {
            foreach (var (name, kinds) in new[] { ("loss_low", new[] { MaskKind.LowPass, MaskKind.BandStop }), ("loss_high", new[] { MaskKind.HighPass, MaskKind.BandPass }) })
            {
                var rows = Enumerable.Range(0, masks.Samples.Count).Where(i => kinds.Contains(masks.Samples[i].Kind)).Select(i => (long)i).ToArray();
                if (rows.Length == 0) { terms[name] = NoImages(shard); continue; }
                using var index = tensor(rows, device: prediction.device);
                terms[name] = FrequencyLoss.Masked(prediction.index_select(0, index), target.index_select(0, index), masks.Masks.index_select(0, index), LossOptions, shard);
            }
        }
        return new LossTerms(loss, terms);
    }

    /// <summary>A term over images this batch does not have: NaN in one process; in a data-parallel job this process's
    /// share, 0, while it takes part in pooling the count (NaN when no process has such images).</summary>
    static Tensor NoImages(BatchShard? shard)
    {
        if (shard?.Group is not { WorldSize: > 1 }) return tensor(double.NaN);
        using var pooled = BatchShard.PooledCount(shard, zeros(1, dtype: ScalarType.Float32));
        return tensor(pooled.item<float>() > 0 ? 0.0 : double.NaN);
    }
}
