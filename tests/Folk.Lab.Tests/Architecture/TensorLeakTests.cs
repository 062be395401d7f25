using Folk.Lab.Corruptions;
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
}
