using Folk.Lab.Data;
using Folk.Lab.Losses;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Models.Segmentation;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation.Segmentation;

/// <summary>
/// Semantic segmentation as the trainer sees a method: the loss of a batch of images and class maps under
/// mmsegmentation's rules (<c>EncoderDecoder.forward_train</c>): the UperHead's <see cref="PixelCrossEntropy"/> plus the
/// auxiliary head's, weighted by the recipe's 0.4. Its <see cref="Encoder"/> is the backbone, so the trainer's
/// layer-wise rate decay runs over the ViT's blocks and gives the neck and heads the full rate.
/// </summary>
/// <remarks>The auxiliary weight is held as one <see cref="TorchSharp.Scalar"/> for the objective's life: a scalar made
/// per call can be finalized by the garbage collector while libtorch still reads it (see <c>Data/PinnedScalars.cs</c>).</remarks>
public sealed class SegmentationObjective(UperNet model, double auxiliaryWeight) : IPretrainingMethod
{
    readonly TorchSharp.Scalar _auxiliaryWeight = auxiliaryWeight;

    /// <inheritdoc/>
    public string Name => "segmentation";

    /// <inheritdoc/>
    public nn.Module Trainable => model;

    /// <inheritdoc/>
    public nn.Module Checkpointed => model;

    /// <inheritdoc/>
    public Encoder Encoder => model.Backbone;

    /// <summary>The loss of a batch whose images the loader normalised and whose maps it carries in
    /// <see cref="Batch.Segmentation"/>; terms "loss", "decode" and "auxiliary".</summary>
    public LossTerms Loss(Batch batch, Generator generator)
    {
        var labels = batch.Segmentation
            ?? throw new InvalidOperationException("The batch carries no class maps (Batch.Segmentation): train with an ISegmentationTransform over a data set with per-pixel labels.");
        using var scope = NewDisposeScope();
        var (main, auxiliary) = model.Logits(batch.Images);
        var decode = PixelCrossEntropy.Compute(main, labels);
        var aux = PixelCrossEntropy.Compute(auxiliary, labels);
        var loss = decode.add(aux, _auxiliaryWeight);
        return new LossTerms(loss, new Dictionary<string, Tensor> { ["loss"] = loss.detach(), ["decode"] = decode.detach(), ["auxiliary"] = aux.detach() })
            .MoveToOuterDisposeScope();
    }
}
