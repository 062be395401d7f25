using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Corruptions;

namespace Folk.Lab.Methods;

/// <summary>
/// What MFM's restoration baselines share (MFM configs/*/{sr,deblur,denoise}_pretrain__*.yaml): a corruption with its
/// options, a <see cref="RestorationBaseline"/> that restores the clean image, and MFM's augmentation.
/// </summary>
/// <typeparam name="TOptions">The corruption's options record (its defaults are the official config's).</typeparam>
public abstract record RestorationConfig<TOptions> : ReconstructionConfig where TOptions : new()
{
    /// <summary>The corruption's settings.</summary>
    public TOptions Corruption { get; init; } = new();

    /// <summary>The corruption these options describe.</summary>
    protected abstract ICorruption Corrupt(TOptions options);

    /// <inheritdoc/>
    public override IPretrainingMethod Build(MethodContext context) => new RestorationBaseline(Name, context.NewEncoder(), Corrupt(Corruption));

    /// <inheritdoc/>
    public override JsonObject Describe(int imageSize) => new()
    {
        ["MinCropScale"] = MinCropScale,
        ["Corruption"] = JsonSerializer.SerializeToNode(Corruption),
    };
}
