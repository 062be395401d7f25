using System.Text.Json.Nodes;
using Folk.Lab.Corruptions;
using Folk.Lab.Data;
using Folk.Lab.Methods;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Experiments;

/// <summary>
/// A method that exists only in the tests, written as a contributor would add one: this file, plus one line that
/// registers it (<c>MethodRegistry.Default.With("autoencoder", _ => new AutoencoderConfig())</c>). It reconstructs
/// the clean image from itself, with MFM's head and frequency loss.
/// </summary>
public sealed record AutoencoderConfig : ReconstructionConfig
{
    /// <inheritdoc/>
    public override string Name => "autoencoder";

    /// <inheritdoc/>
    public override IPretrainingMethod Build(MethodContext context) => new RestorationBaseline(Name, context.NewEncoder(), new Identity());

    /// <inheritdoc/>
    public override JsonObject Describe(int imageSize) => new() { ["MinCropScale"] = MinCropScale };

    sealed class Identity : ICorruption
    {
        public CorruptedBatch Apply(Tensor images, Generator generator, BatchShard? shard = null) => new(images.clone(), null);
    }
}
