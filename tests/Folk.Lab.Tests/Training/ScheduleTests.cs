using Folk.Lab.Training.Schedules;
using Folk.Lab.Methods.Schedules;

namespace Folk.Lab.Tests.Training;

public class ScheduleTests
{
    // Jiahao000/MFM configs/vit_base/mfm_pretrain__vit_base__img224__300ep.yaml at global batch 2048: 187,500
    // iterations, 12,500 of warm-up.
    static readonly WarmupCosine Mfm = WarmupCosine.ScaledForBatch(3e-4, 2.5e-7, 2.5e-6, 2048, 12_500, 187_500);

    [Fact]
    public void RatesScaleWithTheGlobalBatch()
    {
        Assert.Equal(1e-6, Mfm.Start, 15);
        Assert.Equal(1.2e-3, Mfm.Peak, 15);
        Assert.Equal(1e-5, Mfm.Floor, 15);
    }

    [Fact]
    public void WarmupIsLinearFromTheStart()
    {
        Assert.Equal(1e-6, Mfm.At(0), 15);
        Assert.Equal(1e-6 + 6_250 * (1.2e-3 - 1e-6) / 12_500, Mfm.At(6_250), 15);
        Assert.True(Mfm.At(12_499) < 1.2e-3 && Mfm.At(12_499) > 1.199e-3);
    }

    [Fact]
    public void CosineTimeIsNotShiftedSoTheRateDipsRightAfterWarmup()
    {
        double expected = 1e-5 + 0.5 * (1.2e-3 - 1e-5) * (1 + Math.Cos(Math.PI * 12_500 / 187_500));
        Assert.Equal(expected, Mfm.At(12_500), 15);
        Assert.InRange(Mfm.At(12_500), 1.186e-3, 1.188e-3);        // ≈ 1.187e-3, below the 1.2e-3 peak
        Assert.True(Mfm.At(12_500) < Mfm.At(12_499));
        Assert.Equal(1e-5 + 0.5 * (1.2e-3 - 1e-5), Mfm.At(93_750), 12); // half-way through the cosine
        Assert.Equal(1e-5, Mfm.At(187_500), 15);
    }

    [Fact]
    public void MomentumRisesFrom0996To1AlongAHalfCosine()
    {
        var m = new CosineMomentum(0.996, 1.0, 101);
        Assert.Equal(0.996, m.At(0), 12);
        Assert.Equal(0.998, m.At(50), 12);
        Assert.Equal(1.0, m.At(100), 12);
    }
}
