using Folk.Lab.Data.Transforms;

namespace Folk.Lab.Evaluation.Finetuning;

/// <summary>Fine-tuning recipes by model: the official ones at paper scale, and the miniature CPU one.</summary>
public static class FinetunePresets
{
    /// <summary>MFM ViT-B/16: 100 epochs (configs/vit_base/finetune__vit_base__img224__100ep.yaml). The record's defaults.</summary>
    public static FinetuneRecipe VitBase => new();

    /// <summary>MFM ViT-S/16: 200 epochs, otherwise as ViT-B (configs/vit_small/finetune__vit_small__img224__200ep.yaml).</summary>
    public static FinetuneRecipe VitSmall => new FinetuneRecipe { Model = "vit-s" } is var r ? r with { Trainer = r.Trainer with { Epochs = 200 } } : throw new InvalidOperationException();

    /// <summary>The official recipe for <paramref name="model"/>: ViT-B's, ViT-S's, and ViT-S's for ViT-T (no official
    /// ViT-T recipe exists; ViT-S's is the nearest).</summary>
    public static FinetuneRecipe For(string model) => model switch
    {
        "vit-b" => VitBase,
        "vit-s" => VitSmall,
        "vit-t" => VitSmall with { Model = "vit-t" },
        "resnet50" => throw new NotSupportedException(
            "ResNet-50 fine-tuning: MFM delegates it to timm's 'ResNet strikes back' A2/A3 recipes (LAMB, binary cross-entropy, repeated augmentation), which Folk.Lab does not implement yet; fine-tune a ViT."),
        _ => throw new ArgumentException($"No fine-tuning recipe for model '{model}'; use vit-t, vit-s or vit-b.", nameof(model)),
    };

    /// <summary>
    /// Folk.Lab's CPU miniature on Fashion-MNIST-sized inputs (32² after zero padding, ViT-T widths, depth 6, patch 8:
    /// 16 tokens): the official recipe's optimiser and layer decay, with the augmentation a 32-pixel grey image can
    /// bear: crop scale (0.35, 1) and flip; RandAugment, erasing and Mixup off; label smoothing 0.1 in the loss.
    /// 10 epochs, 1 of warm-up, batch 128, BASE_LR 2e-3 per 512 (5e-4 at 128). Patch 8 rather than 4: on 2 CPU cores a
    /// training step of ViT-T depth 6 runs at 470 images/s with 16 tokens and 91 with 64, and the supervised sanity
    /// run (README, "Downstream evaluation") has 15 minutes.
    /// </summary>
    public static FinetuneRecipe Miniature(string model = "vit-t", int imageSize = 32, int patchSize = 8, int? depth = 6) => For(model) with
    {
        ImageSize = imageSize, PatchSize = patchSize, Depth = depth, BatchSize = 128,
        Augmentation = FinetuneAugmentation.None with { CropScale = (0.35, 1), FlipProbability = 0.5, LabelSmoothing = 0.1, EvalCropRatio = 1 },
        Trainer = For(model).Trainer with { Epochs = 10, WarmupEpochs = 1, CheckpointEveryEpochs = 1 },
    };
}
