using Folk.Lab.Data;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Losses;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation.Finetuning;

/// <summary>
/// Supervised classification as the trainer sees a method: the loss of a labelled batch under MFM's fine-tuning rules
/// (main_finetune.py): Mixup/CutMix on the batch with label-smoothed soft targets and soft-target cross-entropy when
/// Mixup is on; label-smoothing cross-entropy when only smoothing is; plain cross-entropy otherwise; or, under a
/// recipe with <see cref="FinetuneRecipe.BinaryCrossEntropy"/> (the RSB ResNet-50 recipes), binary cross-entropy against
/// the same targets. The same
/// objective trains the supervised baseline from scratch, so both rows of a table share the trainer, the schedule and
/// the checkpoints.
/// </summary>
public sealed class ClassificationObjective : IPretrainingMethod
{
    readonly Encoder _classifier;
    readonly Mixup? _mixup;
    readonly double _smoothing;
    readonly int _classes;
    readonly BinaryCrossEntropyLoss? _binary;

    /// <summary>The objective of <paramref name="classifier"/> (a model whose forward gives class logits) for
    /// <paramref name="classes"/> classes; <paramref name="binary"/> switches to binary cross-entropy.</summary>
    public ClassificationObjective(string name, Encoder classifier, int classes, FinetuneAugmentation augmentation, BinaryCrossEntropyLoss? binary = null)
    {
        Name = name;
        _classifier = classifier;
        _classes = classes;
        _binary = binary;
        _smoothing = augmentation.LabelSmoothing;
        if (augmentation.Mixup is { } mixup) _mixup = new Mixup(mixup with { Classes = classes, LabelSmoothing = augmentation.LabelSmoothing });
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public nn.Module Trainable => _classifier;

    /// <inheritdoc/>
    public nn.Module Checkpointed => _classifier;

    /// <inheritdoc/>
    public Encoder Encoder => _classifier;

    /// <summary>The loss of a batch whose images the loader already normalised.</summary>
    public LossTerms Loss(Batch batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        var images = batch.Images;
        var labels = batch.Labels.to(images.device);
        Tensor loss;
        if (_mixup is not null)
        {
            var random = new Random(unchecked((int)generator.initial_seed()));
            using var mixed = _mixup.Apply(images, labels, random);
            var logits = _classifier.forward(mixed.Images);
            loss = _binary is not null ? BinaryCrossEntropy.Compute(logits, mixed.Targets, _binary.TargetThreshold) : SoftTargetCrossEntropy.Compute(logits, mixed.Targets);
        }
        else
        {
            var logits = _classifier.forward(images);
            loss = _binary is not null ? BinaryCrossEntropy.Compute(logits, Mixup.Targets(labels, 1, _classes, _smoothing), _binary.TargetThreshold)
                : _smoothing > 0 ? LabelSmoothingCrossEntropy.Compute(logits, labels, _smoothing)
                : nn.functional.cross_entropy(logits.to(ScalarType.Float32), labels);
        }
        return new LossTerms(loss, new Dictionary<string, Tensor> { ["loss"] = loss }).MoveToOuterDisposeScope();
    }
}
