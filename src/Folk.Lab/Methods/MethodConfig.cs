using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Models;

namespace Folk.Lab.Methods;

/// <summary>What a method is built from besides its own settings.</summary>
/// <param name="NewEncoder">Makes one fresh encoder of the run's architecture (FOLK calls it twice: student and teacher),
/// initialised from torch's global RNG.</param>
/// <param name="ImageSize">The run's input side in pixels: size-dependent settings (mask radii, views) scale to it.</param>
/// <param name="Epochs">The run's length in epochs (FOLK schedules its teacher temperature per epoch).</param>
public sealed record MethodContext(Func<Encoder> NewEncoder, int ImageSize, int Epochs);

/// <summary>
/// A pre-training method's settings, one record per method, that builds the method and its loader transform and
/// describes itself for a run's <c>config.json</c>. Settings are given at 224² (the papers' size) and scaled to the
/// run's image size when built. Adding a method is one new config (with its method) and one line in the registry of
/// the experiments layer.
/// </summary>
public abstract record MethodConfig
{
    /// <summary>The method's command-line and log name ("mfm", "sr", "folk", …).</summary>
    [JsonIgnore]
    public abstract string Name { get; }

    /// <summary>Builds the method on the CPU, its encoders from <see cref="MethodContext.NewEncoder"/>.</summary>
    public abstract IPretrainingMethod Build(MethodContext context);

    /// <summary>The loader's per-image transform for images of <paramref name="imageSize"/> pixels: the method's
    /// augmentation, one view or several.</summary>
    public abstract IViewTransform Augmentation(int imageSize);

    /// <summary>
    /// The settings as a run folder records them (merged into <c>config.json</c>'s "experiment" beside the encoder and
    /// the data): every value that changes what is trained. A run folder is resumed only when this description is
    /// unchanged, so a setting added here makes older run folders of the method refuse to resume rather than
    /// continue as another run.
    /// </summary>
    public abstract JsonObject Describe(int imageSize);

    /// <summary>
    /// Paths within <see cref="Describe"/>'s object (e.g. "Folk.Export") of the settings that only choose what is
    /// exported after training and change nothing that is trained: a run folder still resumes when they differ.
    /// None by default.
    /// </summary>
    [JsonIgnore]
    public virtual IReadOnlyCollection<string> ExportSettings => [];
}
