using Folk.Lab.Data;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Masks;
using Folk.Lab.Training;

namespace Folk.Lab.Tests.Training;

/// <summary>A seconds-long MFM run: a 2-block, 32-wide ViT on 16×16 synthetic images.</summary>
public static class TinyRun
{
    public static VisionTransformerConfig Encoder => new() { ImageSize = 16, PatchSize = 4, EmbedDim = 32, Heads = 2, Depth = 2 };

    public static (Mfm Method, DataLoader Loader, TrainerConfig Config) Create(string folder, int epochs = 2, int images = 64, int batch = 16, long seed = 0, IImageDataset? data = null, CorruptImagePolicy policy = CorruptImagePolicy.Fail)
    {
        torch.manual_seed(seed);                                                   // model initialisation
        var method = new Mfm(new VisionTransformer(Encoder), new RadialMaskOptions().ScaledTo(16));
        var loader = new DataLoader(data ?? new SyntheticImages(new SyntheticImagesOptions { Size = 16, Count = images, Seed = seed }), null,
            new DataLoaderOptions { BatchSize = batch, Seed = seed, CorruptImages = policy });
        var config = new TrainerConfig
        {
            Epochs = epochs, WarmupEpochs = 0.5, BaseLearningRate = 5e-3, RunFolder = folder, LogEverySteps = 1,
            CheckpointEverySteps = 2, KeepCheckpoints = 2, Seed = seed,
        };
        return (method, loader, config);
    }

    public static double[] Losses(string folder) =>
        new MetricsLog(folder).Read().Select(e => e.GetProperty("loss").GetDouble()).ToArray();
}
