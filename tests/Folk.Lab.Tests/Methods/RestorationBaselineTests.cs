using Folk.Lab.Corruptions;
using Folk.Lab.Data;
using Folk.Lab.Experiments;
using Folk.Lab.Methods;
using Folk.Lab.Tests.Experiments;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Methods;

[Collection(GlobalRngCollection.Name)]
public sealed class RestorationBaselineTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("folk-lab-baselines-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<string> Baselines => new() { "sr", "deblur", "denoise" };

    static ICorruption CorruptionOf(MethodConfig config, int imageSize) => config switch
    {
        SuperResolutionConfig sr => new SuperResolutionCorruption(sr.CorruptionAt(imageSize)),
        DeblurConfig blur => new GaussianBlurCorruption(blur.CorruptionAt(imageSize)),
        DenoiseConfig noise => new GaussianNoiseCorruption(noise.CorruptionAt(imageSize)),
        _ => throw new ArgumentException(config.Name),
    };

    [Theory]
    [MemberData(nameof(Baselines))]
    public void EachRestoresItsCorruptionUnderTheFrequencyLossOverEveryFrequency(string name)
    {
        var config = MethodRegistry.Default.For(name, "vit-t");
        var recipe = TinyRecipes.For(config, Path.Combine(_root, name), epochs: 3) with { ImageSize = 32 };
        var run = PretrainingRun.Assemble(recipe, new SyntheticImages(new SyntheticImagesOptions { Size = 32, Count = 16, Seed = 3 }), "synthetic");
        var method = Assert.IsType<RestorationBaseline>(run.Method);
        Assert.Equal(name, method.Name);

        // the loss by hand: the same corruption from the same seed, MFM's head, |ΔF| averaged over all B·3·H·W
        using var images = TestImages.Natural(4, 32);
        using (var terms = method.Loss(Batch.Of(images.alias()), new Generator(11)))
        {
            using var corrupted = CorruptionOf(config, 32).Apply(images, new Generator(11));
            using var prediction = method.Reconstruct(ImageNetNormalization.Normalize(corrupted.Images)).detach().to(ScalarType.Float64);
            using var target = ImageNetNormalization.Normalize(images).to(ScalarType.Float64);
            using var distance = (fft.fft2(prediction, norm: FFTNormType.Ortho) - fft.fft2(target, norm: FFTNormType.Ortho)).abs();
            TensorAssert.CloseRelative(distance.mean().item<double>(), terms.Values()["loss"], 1e-5, $"{name}: frequency loss over every frequency");
            Assert.Equal(new[] { "loss" }, terms.Terms.Keys);
        }

        // and it trains end to end through the run layer
        using var before = method.Encoder.parameters().First().detach().clone();
        var result = run.Trainer.Run();
        Assert.True(result.Completed && result.FinalLoss is { } loss && double.IsFinite(loss));
        Assert.False(before.equal(method.Encoder.parameters().First()).all().item<bool>(), "the encoder was trained");
        var losses = new Folk.Lab.Training.MetricsLog(recipe.Trainer.RunFolder!).Read().Select(e => e.GetProperty("loss").GetDouble()).ToArray();
        Assert.Equal(6, losses.Length);
        Assert.True(losses[^2..].Average() < losses[..2].Average(), $"{name}: the loss falls ({string.Join(", ", losses.Select(l => l.ToString("F4")))})");
    }
}
