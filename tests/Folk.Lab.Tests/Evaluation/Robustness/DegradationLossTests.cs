using Folk.Lab.Corruptions.Common;
using Folk.Lab.Data;
using Folk.Lab.Evaluation.Robustness;
using Folk.Lab.Experiments;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Evaluation.Robustness;

[Collection(GlobalRngCollection.Name)]
public class DegradationLossTests
{
    [Fact]
    public void TheCurveIsDeterministicAndAResumedMeasurementKeepsItsFinishedPoints()
    {
        var config = MethodRegistry.Default.For("mfm", "vit-t");
        manual_seed(0);
        var method = config.Build(new MethodContext(() => ModelCatalog.Create("vit-t", 32, 8, depth: 1), 32, 1));
        var images = new SyntheticImages(new SyntheticImagesOptions { Size = 32, Count = 12, Seed = 3 });
        IReadOnlyList<DegradationPoint> Measure(IReadOnlyList<DegradationPoint>? finished = null) => DegradationLoss.Measure(
            method, config, 32, images, [CommonCorruption.Contrast, CommonCorruption.GaussianNoise], [1, 5], seed: 7, CPU, batchSize: 6, workers: 1, finished: finished);

        var first = Measure();
        Assert.Equal([("clean", 0), ("contrast", 1), ("contrast", 5), ("gaussian_noise", 1), ("gaussian_noise", 5)], first.Select(p => (p.Corruption, p.Severity)));
        Assert.All(first, p => Assert.Equal(12, p.Images));
        Assert.All(first, p => Assert.True(double.IsFinite(p.Loss) && p.Loss > 0));
        Assert.Equal(first.Select(p => p.Loss), Measure().Select(p => p.Loss));           // every draw is seeded per cell

        var planted = new[] { first[0], first[1] with { Loss = 123.0 } };
        var resumed = Measure(planted);
        Assert.Equal(123.0, resumed[1].Loss);                                              // taken, not measured again
        Assert.Equal(first.Skip(2).Select(p => p.Loss), resumed.Skip(2).Select(p => p.Loss));
        Assert.True(method.Trainable.training);                                            // evaluation mode only while measuring
    }

    [Fact]
    public void EveryPointCarriesTheMeanOfEachTermSoFolksPartsHaveCurvesOfTheirOwn()
    {
        var config = (FolkConfig)MethodRegistry.Default.For("folk", "vit-t") with { DistillationWeight = 0.5 };
        config = config with { Head = config.Head with { OutputDim = 64 } };
        manual_seed(0);
        var method = config.Build(new MethodContext(() => ModelCatalog.Create("vit-t", 32, 8, depth: 1), 32, 1));
        var images = new SyntheticImages(new SyntheticImagesOptions { Size = 32, Count = 10, Seed = 3 });
        var points = DegradationLoss.Measure(method, config, 32, images, [CommonCorruption.DefocusBlur], [2], seed: 1, CPU, batchSize: 4, workers: 1);

        Assert.Equal(2, points.Count);
        foreach (var p in points)
        {
            // each term is averaged over the same images, batch by batch, as the loss is: the identity of the loss holds for the means
            Assert.Equal(p.Loss, p.Terms!["loss"], 9);
            Assert.Equal(p.Terms["loss_rec"] + 0.5 * p.Terms["loss_distill"], p.Loss, 6);
            Assert.Equal(p.Terms["loss_rec"], p.OfTerm("loss_rec").Loss);
            Assert.Equal((p.Corruption, p.Severity, p.Images), (p.OfTerm("loss_rec").Corruption, p.OfTerm("loss_rec").Severity, p.OfTerm("loss_rec").Images));
        }
        Assert.Contains("loss_rec", Assert.Throws<KeyNotFoundException>(() => points[0].OfTerm("nothing")).Message);
        Assert.Throws<KeyNotFoundException>(() => new DegradationPoint("clean", 0, 1.0, 4).OfTerm("loss"));
    }
}
