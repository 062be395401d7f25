using Folk.Lab.Experiments;
using Folk.Lab.Methods;
using Folk.Lab.Models.Heads;
using Folk.Lab.Training;

namespace Folk.Lab.Tests.Experiments;

/// <summary>Seconds-long recipes on the catalogue's ViT-T (one block, 16² images, patch 8).</summary>
public static class TinyRecipes
{
    /// <summary>FOLK with a small projection head (K = 32).</summary>
    public static FolkConfig SmallFolk => new() { Head = new DinoHeadConfig { OutputDim = 32, HiddenDim = 32, BottleneckDim = 16 } };

    public static PretrainingRecipe For(MethodConfig method, string folder, int epochs = 2, long seed = 3) => new()
    {
        Method = method, Model = "vit-t", ImageSize = 16, PatchSize = 8, Depth = 1, BatchSize = 8,
        Trainer = new TrainerConfig
        {
            Epochs = epochs, WarmupEpochs = epochs > 1 ? 1 : 0.5, BaseLearningRate = 1e-2, Seed = seed, LogEverySteps = 1,   // warm-up shorter than the run
            CheckpointEverySteps = 4, KeepCheckpoints = 3, RunFolder = folder,
        },
    };

    public static Folk.Lab.Data.SyntheticImages Images(int count = 16, long seed = 3) => new(new() { Size = 16, Count = count, Seed = seed });
}
