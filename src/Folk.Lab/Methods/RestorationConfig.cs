using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Corruptions;
using Folk.Lab.Frequency;

namespace Folk.Lab.Methods;

/// <summary>
/// What MFM's restoration baselines share (MFM configs/*/{sr,deblur,denoise}_pretrain__*.yaml): a corruption with its
/// options, a <see cref="RestorationBaseline"/> that restores the clean image, and MFM's augmentation.
/// </summary>
/// <typeparam name="TOptions">The corruption's options record (its defaults are the official config's).</typeparam>
public abstract record RestorationConfig<TOptions> : ReconstructionConfig where TOptions : ISizeScaledOptions<TOptions>, new()
{
    /// <summary>The corruption's settings at 224² (the official values).</summary>
    public TOptions Corruption { get; init; } = new();

    /// <summary>How <see cref="Corruption"/> carries over to the run's image size (Folk.Lab; MFM runs only at 224²):
    /// by default so that it removes the same share of spectral energy as at 224² (<see cref="SizeScaling"/>).</summary>
    public SizeScaling SizeScaling { get; init; } = SizeScaling.MatchedEnergy;

    /// <summary>The corruption's settings for images of <paramref name="imageSize"/> pixels: what the method applies.</summary>
    public TOptions CorruptionAt(int imageSize) => Corruption.ScaledTo(imageSize, SizeScaling);

    /// <summary>The corruption these options describe.</summary>
    protected abstract ICorruption Corrupt(TOptions options);

    /// <inheritdoc/>
    public override IPretrainingMethod Build(MethodContext context) => new RestorationBaseline(Name, context.NewEncoder(), Corrupt(CorruptionAt(context.ImageSize)));

    /// <inheritdoc/>
    /// <remarks>The corruption is recorded as applied at the run's size (<see cref="CorruptionAt"/>), which records
    /// <see cref="SizeScaling"/> through what it changes: at 224², and with <see cref="SizeScaling.None"/>, the
    /// description is the one run folders recorded before the rule existed, so they resume.</remarks>
    public override JsonObject Describe(int imageSize) => new()
    {
        ["MinCropScale"] = MinCropScale,
        ["Corruption"] = JsonSerializer.SerializeToNode(CorruptionAt(imageSize)),
    };
}
