using Folk.Lab.Corruptions;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Frequency;
using Folk.Lab.Losses;
using Folk.Lab.Masks;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Architecture;

/// <summary>
/// Every entry point of the frequency core frees its temporaries: after the caller disposes what it got back, the
/// thread's count of live tensors is where it started, however often the call is repeated.
/// </summary>
public class TensorLeakTests
{
    static void AssertNoLeak(string what, Action call)
    {
        call();                                            // first call: lazy, one-off allocations
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 5; i++) call();
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.True(after == before, $"{what}: {after - before} tensors left alive after 5 calls");
    }

    [Fact]
    public void FrequencyCoreLeaksNoTensors()
    {
        using var images = TestImages.Natural(2, 32);
        using var target = TestImages.Normal(new long[] { 2, 3, 32, 32 });
        using var g = new Generator(1);
        using var mask = RadialMask.LowPassBranch(32, 4);

        AssertNoLeak("Spectrum", () => { using var s = Spectrum.Centered(images); using var l = Spectrum.LogMagnitude(s); using var i = Spectrum.Inverse(s); });
        AssertNoLeak("FrequencyFilter", () => { using var y = FrequencyFilter.Apply(images, mask); });
        AssertNoLeak("RadialProfile", () => RadialProfile.Compute(images));
        AssertNoLeak("BandEnergy", () => { using var f = BandEnergy.Fractions(images, new[] { 4.0 }); });
        AssertNoLeak("FrequencyLoss", () =>
        {
            using var pred = images.clone().requires_grad_(true);
            using var loss = FrequencyLoss.Masked(pred, target, mask, new FrequencyLossOptions { Focal = FocalWeighting.PerImage });
            loss.backward();
            using var map = FrequencyLoss.Map(images, target);
            using var mean = FrequencyLoss.Mean(images, target);
        });
        foreach (var strategy in new IFrequencyMask[] { new RadialMask(), new RandomFrequencyMask(), new ComMask(), new RComMask(), new FolkMask() })
            AssertNoLeak(strategy.GetType().Name, () => { using var b = strategy.Sample(images, g); });
        foreach (var corruption in new ICorruption[] { new SuperResolutionCorruption(), new GaussianBlurCorruption(), new GaussianNoiseCorruption(), new MaskedFrequencyCorruption(new FolkMask()) })
            AssertNoLeak(corruption.GetType().Name, () => { using var c = corruption.Apply(images, g); });
    }

    [Fact]
    public void FineTuningAugmentationsAndLossesLeakNoTensors()
    {
        using var image = TestImages.Uniform(new long[] { 3, 20, 24 });
        using var batch = TestImages.Normal(new long[] { 4, 3, 20, 24 });
        using var labels = tensor(new long[] { 0, 3, 1, 2 });
        using var logits = TestImages.Normal(new long[] { 4, 5 });
        var random = new Random(1);
        var randAugment = new RandAugment(new RandAugmentOptions { Probability = 1 });
        var erasing = new RandomErasing(new RandomErasingOptions { Probability = 1 });
        var mixup = new Mixup(new MixupOptions { Classes = 5 });

        AssertNoLeak("RandAugment", () => { using var y = randAugment.Apply(image, random); });
        foreach (var op in Enum.GetValues<RandAugmentOp>())
            AssertNoLeak(op.ToString(), () => { using var y = randAugment.ApplyOp(image, op, randAugment.Argument(op, 9)); });
        AssertNoLeak("RandomErasing", () => { using var y = erasing.Apply(image, random); });
        AssertNoLeak("Mixup", () =>
        {
            using var m = mixup.Apply(batch, labels, random);
            using var c = mixup.Apply(batch, labels, new MixupDraw(MixKind.CutMix, 0.75, new Folk.Lab.Data.Transforms.CropBox(2, 3, 10, 12)));
        });
        AssertNoLeak("losses", () =>
        {
            using var x = logits.clone().requires_grad_(true);
            using var targets = Mixup.Targets(labels, 0.6, 5, 0.1);
            using var soft = Folk.Lab.Losses.SoftTargetCrossEntropy.Compute(x, targets);
            using var smooth = Folk.Lab.Losses.LabelSmoothingCrossEntropy.Compute(x, labels);
            using var total = soft + smooth;
            total.backward();
        });
    }
}
