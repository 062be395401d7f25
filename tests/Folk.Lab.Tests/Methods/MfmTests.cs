using Folk.Lab.Data;
using Folk.Lab.Frequency;
using Folk.Lab.Masks;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Methods;

[Collection(GlobalRngCollection.Name)]
public sealed class MfmTests
{
    /// <summary>Σ over the frequencies a mask removed of |FFT(p) − FFT(t)| (ortho, centred), per image, and how many
    /// frequency-channel pairs that is: MFM's masked loss written out (γ = 1, no focal weight).</summary>
    static (double[] Sum, double[] Count) RemovedDistance(Tensor prediction, Tensor target, Tensor masks)
    {
        using var scope = NewDisposeScope();
        var p = fft.fftshift(fft.fft2(prediction.to(ScalarType.Float64), norm: FFTNormType.Ortho), new long[] { -2, -1 });
        var t = fft.fftshift(fft.fft2(target.to(ScalarType.Float64), norm: FFTNormType.Ortho), new long[] { -2, -1 });
        var removed = (1 - masks.to(ScalarType.Float64)).unsqueeze(1);                       // B×1×H×W
        var sum = ((p - t).abs() * removed).sum(new long[] { 1, 2, 3 });
        var count = removed.sum(new long[] { 1, 2, 3 }) * prediction.shape[1];
        return (sum.data<double>().ToArray(), count.data<double>().ToArray());
    }

    [Fact]
    public void LowAndHighLossesAreTheMaskedLossOverEachKindOfImage()
    {
        manual_seed(0);
        using var mfm = new Mfm(new VisionTransformer(Training.TinyRun.Encoder), new RadialMaskOptions().ScaledTo(16));
        using var images = TestImages.Natural(8, 16);
        using var batch = Batch.Of(images.alias());
        using var terms = mfm.Loss(batch, new Generator(7));
        var values = terms.Values();

        // the same masks from the same seed, the same prediction, and the loss by hand
        using var masks = new RadialMask(new RadialMaskOptions().ScaledTo(16)).Sample(images, new Generator(7));
        using var input = ImageNetNormalization.Normalize(FrequencyFilter.Apply(images, masks.Masks));
        using var prediction = mfm.Reconstruct(input).detach();
        using var target = ImageNetNormalization.Normalize(images);
        var (sum, count) = RemovedDistance(prediction, target, masks.Masks);
        var low = Enumerable.Range(0, 8).Where(i => masks.Samples[i].Kind == MaskKind.LowPass).ToArray();
        var high = Enumerable.Range(0, 8).Where(i => masks.Samples[i].Kind == MaskKind.HighPass).ToArray();
        Assert.True(low.Length > 0 && high.Length > 0, "the seed must draw both kinds for this test to mean something");
        double Over(int[] rows) => rows.Sum(i => sum[i]) / rows.Sum(i => count[i]);

        TensorAssert.CloseRelative(Over(low), values["loss_low"], 1e-5, "loss_low: removed high frequencies of the low-pass images");
        TensorAssert.CloseRelative(Over(high), values["loss_high"], 1e-5, "loss_high: removed low frequencies of the high-pass images");
        TensorAssert.CloseRelative(Over(low.Concat(high).ToArray()), values["loss"], 1e-5, "loss: one normaliser over the whole batch");
        Assert.True(values["loss_high"] > values["loss_low"], "an untrained model misses the energetic low band far more");
    }

    [Fact]
    public void ABatchOfOneKindLogsNaNForTheOther()
    {
        manual_seed(0);
        using var mfm = new Mfm(new VisionTransformer(Training.TinyRun.Encoder), new RadialMaskOptions { LowPassProbability = 1 }.ScaledTo(16));
        using var batch = Batch.Of(TestImages.Natural(4, 16));
        using var terms = mfm.Loss(batch, new Generator(1));
        Assert.True(double.IsNaN(terms.Values()["loss_high"]));
        Assert.Equal(terms.Values()["loss"], terms.Values()["loss_low"], 12);
    }

    [Fact]
    public void TheAllFrequencyTargetAveragesTheDistanceOverEveryFrequency()
    {
        manual_seed(0);
        using var mfm = new Mfm(new VisionTransformer(Training.TinyRun.Encoder), new RadialMaskOptions().ScaledTo(16), target: ReconstructionTarget.AllFrequencies);
        using var images = TestImages.Natural(8, 16);
        using var batch = Batch.Of(images.alias());
        using var terms = mfm.Loss(batch, new Generator(7));
        var values = terms.Values();

        using var masks = new RadialMask(new RadialMaskOptions().ScaledTo(16)).Sample(images, new Generator(7));
        using var input = ImageNetNormalization.Normalize(FrequencyFilter.Apply(images, masks.Masks));
        using var prediction = mfm.Reconstruct(input).detach();
        using var target = ImageNetNormalization.Normalize(images);
        using var nothingKept = zeros(8, 16, 16);                              // every frequency counts as removed
        var (all, allCount) = RemovedDistance(prediction, target, nothingKept);
        Assert.Equal(8 * 3 * 16 * 16, allCount.Sum());
        TensorAssert.CloseRelative(all.Sum() / allCount.Sum(), values["loss"], 1e-5, "loss: the mean distance over every frequency and channel");

        var (removed, removedCount) = RemovedDistance(prediction, target, masks.Masks);
        var low = Enumerable.Range(0, 8).Where(i => masks.Samples[i].Kind == MaskKind.LowPass).ToArray();
        Assert.NotEmpty(low);
        TensorAssert.CloseRelative(low.Sum(i => removed[i]) / low.Sum(i => removedCount[i]), values["loss_low"], 1e-5,
            "loss_low stays the masked loss of the low-pass images");
    }

    [Fact]
    public void TheDefaultConfigDescribesItselfAsBeforeAndAChangedLossOrTargetIsRecorded()
    {
        var described = new MfmConfig().Describe(32);
        Assert.Equal(new[] { "MinCropScale", "Masks" }, described.Select(p => p.Key));
        var changed = new MfmConfig { Loss = new Folk.Lab.Losses.FrequencyLossOptions { Gamma = 2 }, Target = ReconstructionTarget.AllFrequencies }.Describe(32);
        Assert.Equal(2, changed["Loss"]!["Gamma"]!.GetValue<double>());
        Assert.Equal("AllFrequencies", changed["Target"]!.GetValue<string>());
    }
}
