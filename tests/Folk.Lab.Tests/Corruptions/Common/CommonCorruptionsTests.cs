using Folk.Lab.Corruptions.Common;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions.Common;

/// <summary>What every corruption in the registry must do, whichever family implements it.</summary>
public class CommonCorruptionsTests
{
    /// <summary>The folder names of ImageNet-C's release, in the benchmark's order (hendrycks/robustness README).</summary>
    static readonly string[] PublishedNames =
    [
        "gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur", "glass_blur", "motion_blur", "zoom_blur",
        "snow", "frost", "fog", "brightness", "contrast", "elastic_transform", "pixelate", "jpeg_compression",
    ];

    /// <summary>The corruptions whose published definition draws nothing (arXiv 1903.12261; make_imagenet_c.py).</summary>
    static readonly CommonCorruption[] Deterministic =
    [
        CommonCorruption.DefocusBlur, CommonCorruption.ZoomBlur, CommonCorruption.Brightness, CommonCorruption.Contrast,
        CommonCorruption.Pixelate, CommonCorruption.JpegCompression,
    ];

    public static TheoryData<CommonCorruption> Implemented()
    {
        var data = new TheoryData<CommonCorruption>();
        foreach (var c in CommonCorruptions.All.Where(CommonCorruptions.IsImplemented)) data.Add(c);
        return data;
    }

    public static TheoryData<CommonCorruption> Everything()
    {
        var data = new TheoryData<CommonCorruption>();
        foreach (var c in CommonCorruptions.All) data.Add(c);
        return data;
    }

    [Fact]
    public void TheRegistryHoldsTheFifteenWithTheirPublishedNamesAndFamilies()
    {
        Assert.Equal(PublishedNames, CommonCorruptions.All.Select(c => c.Name()));
        foreach (var c in CommonCorruptions.All)
        {
            Assert.Equal(c, CommonCorruptions.Parse(c.Name()));
            Assert.Equal(c, CommonCorruptions.Parse(c.Name().ToUpperInvariant()));
        }
        var e = Assert.Throws<ArgumentException>(() => CommonCorruptions.Parse("speckle_noise"));
        Assert.All(PublishedNames, name => Assert.Contains(name, e.Message));
        Assert.Equal(new[] { 3, 4, 4, 4 }, Enum.GetValues<CorruptionFamily>().Select(f => CommonCorruptions.All.Count(c => c.FamilyOf() == f)));
        Assert.True(CommonCorruptions.IsImplemented(CommonCorruption.GaussianNoise) && CommonCorruptions.IsImplemented(CommonCorruption.JpegCompression));
    }

    [Theory]
    [MemberData(nameof(Implemented))]
    public void StaysInTheUnitRangeLeavesTheInputAloneAndIsAFunctionOfTheSeed(CommonCorruption corruption)
    {
        foreach (var (count, side, severities) in new[] { (3, 32, new[] { 1, 3, 5 }), (1, 224, new[] { 3 }) })
        {
            using var x = TestImages.Natural(count, side, seed: 4);
            using var before = x.clone();
            foreach (var s in severities)
            {
                Tensor Run(ulong seed) { using var g = new Generator(seed); return CommonCorruptions.Apply(corruption, x, s, g); }
                using var a = Run(1);
                using var b = Run(1);
                using var c = Run(2);
                string what = $"{corruption.Name()} s{s} at {side}²";
                Assert.Equal(x.shape, a.shape);
                Assert.Equal(ScalarType.Float32, a.dtype);
                Assert.NotEqual(x.Handle, a.Handle);
                Assert.True(a.min().item<float>() >= 0 && a.max().item<float>() <= 1, $"{what}: values in [{a.min().item<float>()}, {a.max().item<float>()}]");
                Assert.False(a.isnan().any().item<bool>(), $"{what}: NaN");
                // the same draws give the same images; reductions and matrix products may round differently when another
                // test changes libtorch's thread count in between, hence float32 rounding as the tolerance
                TensorAssert.CloseRelativeToMax(a, b, 1e-6, $"{what}: the same seed");
                if (Deterministic.Contains(corruption)) TensorAssert.CloseRelativeToMax(a, c, 1e-6, $"{what}: draws nothing, so the seed does not matter");
                else Assert.True(MaxDifference(a, c) > 1e-3, $"{what}: seeds 1 and 2 gave the same images");
                Assert.True(MaxDifference(a, x) > 1e-3, $"{what}: the images are unchanged");
            }
            TensorAssert.Equal(before, x, $"{corruption.Name()}: the input");
        }
    }

    static double MaxDifference(Tensor a, Tensor b)
    {
        using var d = (a - b).abs();
        return d.max().item<float>();
    }

    [Theory]
    [MemberData(nameof(Implemented))]
    public void LeavesNoTensorAlive(CommonCorruption corruption)
    {
        using var x = TestImages.Natural(2, 32, seed: 5);
        using var g = new Generator(3);
        void Call() { using var y = CommonCorruptions.Apply(corruption, x, 3, g); }
        Call();                                                     // lazy, one-off allocations
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 3; i++) Call();
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.True(after == before, $"{corruption.Name()}: {after - before} tensors left alive after 3 calls");
    }

    [Theory]
    [MemberData(nameof(Everything))]
    public void BadArgumentsAreRefusedWithWhatIsAllowed(CommonCorruption corruption)
    {
        using var g = new Generator(0);
        using var side64 = rand(1, 3, 64, 64);
        var e = Assert.Throws<ArgumentException>(() => CommonCorruptions.Apply(corruption, side64, 3, g));
        Assert.Contains("224", e.Message);
        Assert.Contains("32", e.Message);
        using var ok = rand(1, 3, 32, 32);
        Assert.Throws<ArgumentOutOfRangeException>(() => CommonCorruptions.Apply(corruption, ok, 0, g));
        Assert.Throws<ArgumentOutOfRangeException>(() => CommonCorruptions.Apply(corruption, ok, 6, g));
        using var grey = rand(1, 1, 32, 32);
        Assert.Contains("RGB", Assert.Throws<ArgumentException>(() => CommonCorruptions.Apply(corruption, grey, 3, g)).Message);
        using var doubles = rand(new long[] { 1, 3, 32, 32 }, dtype: ScalarType.Float64);
        Assert.Contains("float32", Assert.Throws<ArgumentException>(() => CommonCorruptions.Apply(corruption, doubles, 3, g)).Message);
        using var oblong = rand(1, 3, 32, 31);
        Assert.Contains("square", Assert.Throws<ArgumentException>(() => CommonCorruptions.Apply(corruption, oblong, 3, g)).Message);
        using var flat = rand(3, 32, 32);
        Assert.Throws<ArgumentException>(() => CommonCorruptions.Apply(corruption, flat, 3, g));
        // a CUDA tensor or generator is refused too; that needs a GPU to test
    }
}
