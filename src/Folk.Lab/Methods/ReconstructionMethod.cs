using Folk.Lab.Corruptions;
using Folk.Lab.Data;
using Folk.Lab.Losses;
using Folk.Lab.Models;
using Folk.Lab.Models.Heads;
using static TorchSharp.torch;

namespace Folk.Lab.Methods;

/// <summary>
/// The wiring MFM and its restoration baselines share (Jiahao000/MFM <c>models/mfm.py</c>, <c>MFM.forward</c>): corrupt the clean
/// [0,1] images, normalise the corrupted input and the clean target with ImageNet statistics, encode, predict the
/// image with the 1×1-conv + PixelShuffle head, and compare spectra with the frequency loss. Field names are MFM's
/// (<c>encoder.*</c>, <c>decoder.*</c>) so checkpoints line up with the reference's.
/// </summary>
public abstract class ReconstructionMethod : nn.Module, IPretrainingMethod
{
    private readonly Encoder encoder;
    private readonly MfmHead decoder;

    /// <summary>The corruption applied to the clean batch.</summary>
    protected ICorruption Corruption { get; }

    /// <summary>Options of the frequency loss (MFM defaults).</summary>
    protected FrequencyLossOptions LossOptions { get; }

    /// <summary>Wires <paramref name="encoder"/> to a fresh MFM head.</summary>
    protected ReconstructionMethod(string name, Encoder encoder, ICorruption corruption, FrequencyLossOptions? lossOptions)
        : base(name)
    {
        this.encoder = encoder;
        decoder = new MfmHead(encoder.Features, encoder.Stride);
        Corruption = corruption;
        LossOptions = lossOptions ?? new FrequencyLossOptions();
        RegisterComponents();
    }

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public nn.Module Trainable => this;

    /// <inheritdoc/>
    public virtual nn.Module Checkpointed => this;

    /// <inheritdoc/>
    public Encoder Encoder => encoder;

    /// <summary>The prediction head.</summary>
    public MfmHead Head => decoder;

    /// <summary>Prediction of the normalised clean image from a normalised corrupted one: B×3×H×W, float32.</summary>
    public Tensor Reconstruct(Tensor normalisedInput)
    {
        using var features = Encoder.FeatureMap(normalisedInput);
        using var floatFeatures = Autocast.Float(features);
        return decoder.forward(floatFeatures);
    }

    /// <inheritdoc/>
    /// <param name="batch">One view of clean images, B×3×H×W in [0,1].</param>
    /// <param name="generator">Source of the corruption's randomness.</param>
    public LossTerms Loss(Batch batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        var images = batch.Images;
        using var corrupted = Corruption.Apply(images, generator, batch.Shard);
        var input = ImageNetNormalization.Normalize(corrupted.Images);
        var target = ImageNetNormalization.Normalize(images);
        var prediction = Reconstruct(input);
        return Reduce(prediction, target, corrupted, batch.Shard).MoveToOuterDisposeScope();
    }

    /// <summary>The loss of a prediction against the normalised clean target.</summary>
    protected abstract LossTerms Reduce(Tensor prediction, Tensor target, CorruptedBatch corrupted, BatchShard? shard);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
