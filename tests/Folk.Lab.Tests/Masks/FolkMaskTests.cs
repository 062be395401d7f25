using Folk.Lab.Masks;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Masks;

public class FolkMaskTests
{
    [Fact]
    public void DrawsComAndRComEvenlyAndTauUniformlyFromThePool()
    {
        using var images = TestImages.Uniform(new long[] { 3000, 1, 8, 8 });
        using var g = new Generator(17);
        using var batch = new FolkMask().Sample(images, g);
        double sigma = Math.Sqrt(0.25 / 3000);
        Assert.InRange(batch.Samples.Count(s => s.Kind == MaskKind.Com) / 3000.0, 0.5 - 4 * sigma, 0.5 + 4 * sigma);
        foreach (var tau in new[] { 0.005, 0.01, 0.05 })
        {
            double share = batch.Samples.Count(s => s.Parameter == tau) / 3000.0, s3 = Math.Sqrt(2.0 / 9 / 3000);
            Assert.InRange(share, 1.0 / 3 - 4 * s3, 1.0 / 3 + 4 * s3);
        }
        // the recorded kind is the mask that was built: Com keeps DC, RCom removes it
        var dc = batch.Masks[.., 4, 4].data<float>().ToArray();
        for (int i = 0; i < 3000; i++) Assert.Equal(batch.Samples[i].Kind == MaskKind.Com ? 1f : 0f, dc[i]);
    }

    [Fact]
    public void RecordedSamplesRebuildTheMasks()
    {
        using var images = TestImages.Natural(6, 32, seed: 2);
        using var g = new Generator(3);
        using var batch = new FolkMask().Sample(images, g);
        for (int i = 0; i < 6; i++)
        {
            var s = batch.Samples[i];
            using var one = images[i..(i + 1)];
            using var com = ComMask.Compute(one, new[] { s.Parameter });
            using var expected = s.Kind == MaskKind.Com ? com.alias() : 1 - com;
            TensorAssert.Equal(expected[0], batch.Masks[i], $"image {i} ({s})");
        }
    }

    [Fact]
    public void PerBatchSamplingDrawsOnceForTheBatch()
    {
        using var images = TestImages.Uniform(new long[] { 16, 3, 8, 8 });
        using var g = new Generator(5);
        using var batch = new FolkMask(new FolkMaskOptions { Sampling = FolkMaskSampling.PerBatch }).Sample(images, g);
        Assert.Single(batch.Samples.Distinct());
    }

    [Fact]
    public void RadialPoolReplacesComWhenDrawn()
    {
        using var images = TestImages.Uniform(new long[] { 8, 3, 16, 16 });
        using var g = new Generator(5);
        using var batch = new FolkMask(new FolkMaskOptions { RadialProbability = 1, Radial = new RadialMaskOptions { Radius1 = 3 } })
            .Sample(images, g);
        Assert.All(batch.Samples, s => Assert.Contains(s.Kind, new[] { MaskKind.LowPass, MaskKind.HighPass }));
        using var kept = batch.Masks.sum(new long[] { 1, 2 });
        var counts = kept.data<float>().ToArray();
        for (int i = 0; i < 8; i++) Assert.Equal(batch.Samples[i].Kind == MaskKind.LowPass ? 25f : 256f - 25f, counts[i]);   // d² < 9: 1 + 4 + 4 + 4 + 8 + 4
    }

    [Fact]
    public void SamplingIsDeterministicGivenTheGenerator()
    {
        using var images = TestImages.Natural(8, 32);
        Tensor Draw(ulong seed)
        {
            using var g = new Generator(seed);
            return new FolkMask().Sample(images, g).Masks;
        }
        using var a = Draw(11);
        using var b = Draw(11);
        using var c = Draw(12);
        TensorAssert.Equal(a, b, "same seed");
        Assert.True(a.ne(c).any().item<bool>(), "another seed draws other masks");
    }

    [Fact]
    public void InvalidPoolsAreRefusedByName()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new FolkMask(new FolkMaskOptions { KeepFractions = new[] { 0.01, 1.5 } }));
        Assert.Equal("KeepFractions[1]", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new FolkMask(new FolkMaskOptions { ComProbability = 2 }));
        Assert.Equal("ComProbability", e.ParamName);
        Assert.Throws<ArgumentException>(() => new FolkMask(new FolkMaskOptions { KeepFractions = Array.Empty<double>() }));
    }
}
