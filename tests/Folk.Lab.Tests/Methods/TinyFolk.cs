using Folk.Lab.Data;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Models.Heads;
using Folk.Lab.Training;
using Folk.Lab.Methods.Schedules;

using FolkMethod = Folk.Lab.Methods.Folk;

namespace Folk.Lab.Tests.Methods;

/// <summary>A seconds-long FOLK setup: two 2-block, 32-wide ViTs on 16×16 views, a 64-prototype head.</summary>
public static class TinyFolk
{
    public static FolkConfig Config => new()
    {
        Head = new DinoHeadConfig { OutputDim = 64, HiddenDim = 32, BottleneckDim = 16 },
        Views = new MultiViewOptions { Size = 16 },
        TeacherTemperature = new TeacherTemperature(0.04, 0.07, WarmupEpochs: 2),
    };

    public static FolkMethod Method(FolkConfig? config = null, long seed = 0, int epochs = 2)
    {
        torch.manual_seed(seed);
        return new FolkMethod(new VisionTransformer(Training.TinyRun.Encoder), new VisionTransformer(Training.TinyRun.Encoder), config ?? Config, epochs);
    }

    /// <summary>The views of <paramref name="images"/> synthetic images, as the loader would give them.</summary>
    public static Batch Views(int images, long seed = 0, FolkConfig? config = null)
    {
        config ??= Config;
        var data = new SyntheticImages(new SyntheticImagesOptions { Size = config.Views.Size, Count = images, Seed = seed });
        var loader = new DataLoader(data, MultiViewTransform.Dino(config.Views), new DataLoaderOptions { BatchSize = images, Shuffle = false, Seed = seed, Workers = 1 });
        return loader.Epoch(0).Single();
    }

    public static (FolkMethod Method, DataLoader Loader, TrainerConfig Config) Run(string folder, int epochs = 2, long seed = 0, FolkConfig? config = null)
    {
        config ??= Config;
        var method = Method(config, seed, epochs);
        var loader = new DataLoader(new SyntheticImages(new SyntheticImagesOptions { Size = 16, Count = 64, Seed = seed }), MultiViewTransform.Dino(config.Views),
            new DataLoaderOptions { BatchSize = 16, Seed = seed });
        var trainer = new TrainerConfig
        {
            Epochs = epochs, WarmupEpochs = 0.5, BaseLearningRate = 5e-3, RunFolder = folder, LogEverySteps = 1,
            CheckpointEverySteps = 2, KeepCheckpoints = 2, Seed = seed,
        };
        return (method, loader, trainer);
    }
}
