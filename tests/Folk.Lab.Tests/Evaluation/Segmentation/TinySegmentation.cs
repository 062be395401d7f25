using Folk.Lab.Data;
using Folk.Lab.Evaluation.Segmentation;

namespace Folk.Lab.Tests.Evaluation.Segmentation;

/// <summary>Seconds-long segmentation runs: 16² synthetic scenes, a one-block ViT-T with patch 4, narrow UperNet heads, 6 iterations.</summary>
static class TinySegmentation
{
    public static SegmentationData Data() => SegmentationData.Open("synthetic", null, 16, syntheticTrain: 16, syntheticTest: 4);

    public static SegmentationRecipe Recipe => SegmentationPresets.Miniature("vit-t", imageSize: 16, patchSize: 4, depth: 1) is var r ? r with
    {
        BatchSize = 4, Heads = r.Heads with { Channels = 16, AuxiliaryChannels = 8 },
        Trainer = r.Trainer with { Iterations = 6, WarmupIterations = 2, CheckpointEverySteps = 3 },
    } : throw new InvalidOperationException();
}
