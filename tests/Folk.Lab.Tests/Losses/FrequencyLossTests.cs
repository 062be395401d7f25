using Folk.Lab.Frequency;
using Folk.Lab.Losses;
using Folk.Lab.Masks;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Losses;

public class FrequencyLossTests
{
    static (Tensor Pred, Tensor Target) Pair(long b, long h, long w, long seed = 1) =>
        (TestImages.Normal(new[] { b, 3, h, w }, seed), TestImages.Normal(new[] { b, 3, h, w }, seed + 100));

    [Theory]
    [InlineData(16, 16)] [InlineData(15, 21)]
    public void GammaTwoOverAllFrequenciesIsThePixelMeanSquaredError(long h, long w)
    {
        // Parseval with the ortho FFT: Σ_k |ΔF|² = Σ_pixels (pred − target)².
        var (pred, target) = Pair(2, h, w);
        var options = new FrequencyLossOptions { Gamma = 2 };
        double mse = (pred - target).square().mean().item<float>();
        TensorAssert.CloseRelative(mse, FrequencyLoss.Mean(pred, target, options).item<float>(), 1e-5, "normal reduction");
        using var nothingKept = zeros(2, h, w);
        TensorAssert.CloseRelative(mse, FrequencyLoss.Masked(pred, target, nothingKept, options).item<float>(), 1e-5, "masked, all removed");
    }

    [Fact]
    public void MaskedReductionPoolsOverTheBatchNotPerImage()
    {
        var (pred, target) = Pair(2, 32, 32);
        using var low = RadialMask.LowPassBranch(32, 4);
        using var masks = stack(new[] { low, 1 - low });                  // image 0 low-pass, image 1 high-pass
        using var map = FrequencyLoss.Map(pred, target);                  // 2×1×3×32×32, shifted
        using var removed = (1 - masks).unsqueeze(1).unsqueeze(1);
        double s0 = (map[0] * removed[0]).sum().item<float>(), s1 = (map[1] * removed[1]).sum().item<float>();
        double n0 = (1 - masks[0]).sum().item<float>(), n1 = (1 - masks[1]).sum().item<float>();
        double pooled = (s0 + s1) / ((n0 + n1) * 3);
        double perImage = (s0 / (n0 * 3) + s1 / (n1 * 3)) / 2;
        double loss = FrequencyLoss.Masked(pred, target, masks).item<float>();
        TensorAssert.CloseRelative(pooled, loss, 1e-5, "batch-global normaliser");
        Assert.True(Math.Abs(perImage - loss) / loss > 0.01, "a per-image mean would be a different number");
    }

    [Theory]
    [InlineData(12, 12)] [InlineData(15, 21)] [InlineData(9, 10)]
    public void MapAtGammaOneIsTheModulusOfTheSpectrumDifference(long h, long w)
    {
        var (pred, target) = Pair(1, h, w);
        using var map = FrequencyLoss.Map(pred, target);
        using var expected = (Spectrum.Centered(pred, FFTNormType.Ortho) - Spectrum.Centered(target, FFTNormType.Ortho)).abs();
        TensorAssert.CloseRelativeToMax(expected.unsqueeze(1), map, 1e-5, "d = |ΔF|");
    }

    [Fact]
    public void GradientIsFiniteAndZeroWherePredictionIsPerfect()
    {
        var (_, target) = Pair(2, 16, 16);
        using var pred = target.clone().requires_grad_(true);
        using var mask = RadialMask.LowPassBranch(16, 3);
        using var loss = FrequencyLoss.Masked(pred, target, mask);
        loss.backward();
        Assert.True(pred.grad!.isfinite().all().item<bool>());
        Assert.True(pred.grad!.abs().max().item<float>() < 1e-6);
        Assert.Equal(1e-6, loss.item<float>(), 6);                        // √ε
    }

    [Fact]
    public void MaskThatRemovesNothingGivesZeroNotNaN()
    {
        var (pred, target) = Pair(1, 8, 8);
        using var loss = FrequencyLoss.Masked(pred, target, ones(8, 8));
        Assert.Equal(0f, loss.item<float>());
    }

    [Theory]
    [InlineData(ScalarType.BFloat16)] [InlineData(ScalarType.Float64)] [InlineData(ScalarType.Float16)]
    public void IsComputedInFloat32WhateverTheInputDtype(ScalarType dtype)
    {
        var (pred, target) = Pair(2, 16, 16);
        using var p = pred.to(dtype);
        using var t = target.to(dtype);
        using var loss = FrequencyLoss.Mean(p, t);
        Assert.Equal(ScalarType.Float32, loss.dtype);
        using var expected = FrequencyLoss.Mean(p.to(ScalarType.Float32), t.to(ScalarType.Float32));
        Assert.Equal(expected.item<float>(), loss.item<float>());
    }

    [Fact]
    public void PerChannelMasksCountRemovedFrequenciesPerChannel()
    {
        var (pred, target) = Pair(1, 8, 8);
        using var g = new Generator(1);
        using var masks = rand(new long[] { 1, 3, 8, 8 }, generator: g).lt(0.5).to(ScalarType.Float32);
        using var symmetric = masks * FrequencyGrid.Mirror(masks);        // symmetric masks: the half-spectrum weight is exact
        using var map = FrequencyLoss.Map(pred, target);
        using var removed = 1 - symmetric;
        double expected = (map[0, 0] * removed[0]).sum().item<float>() / removed.sum().item<float>();
        TensorAssert.CloseRelative(expected, FrequencyLoss.Masked(pred, target, symmetric).item<float>(), 1e-5, "per-channel masked loss");
    }

    [Fact]
    public void BadInputsAreRefusedWithNamesAndShapes()
    {
        var (pred, target) = Pair(2, 16, 16);
        var e = Assert.Throws<ArgumentException>(() => FrequencyLoss.Mean(pred, target[.., .., ..8]));
        Assert.Contains("[2×3×8×16]", e.Message);
        e = Assert.Throws<ArgumentException>(() => FrequencyLoss.Mean(pred, target, new FrequencyLossOptions { PatchFactor = 3 }));
        Assert.Contains("PatchFactor = 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => FrequencyLoss.Masked(pred, target, zeros(3, 16, 16)));
        Assert.Equal("mask", e.ParamName);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => FrequencyLoss.Mean(pred, target, new FrequencyLossOptions { Gamma = 0 }));
        Assert.Equal("Gamma", range.ParamName);
    }

    public static TheoryData<string> Variants => new()
    {
        "mfm", "gamma2", "gamma0.5", "focal", "focal-batch", "focal-log-gamma2", "patch2", "average", "average-focal",
    };

    static (FrequencyLossOptions Ours, object Reference) Options(string variant) => variant switch
    {
        "mfm" => (new(), new { }),
        "gamma2" => (new() { Gamma = 2 }, new { loss_gamma = 2.0 }),
        "gamma0.5" => (new() { Gamma = 0.5 }, new { loss_gamma = 0.5 }),
        "focal" => (new() { Focal = FocalWeighting.PerImage }, new { with_matrix = true }),
        "focal-batch" => (new() { Focal = FocalWeighting.PerBatch }, new { with_matrix = true, batch_matrix = true }),
        "focal-log-gamma2" => (new() { Focal = FocalWeighting.PerImage, LogFocalWeight = true, FocalGamma = 2 },
                               new { with_matrix = true, log_matrix = true, matrix_gamma = 2.0 }),
        "patch2" => (new() { PatchFactor = 2 }, new { patch_factor = 2 }),
        "average" => (new() { AverageSpectrum = true }, new { ave_spectrum = true }),
        _ => (new() { AverageSpectrum = true, Focal = FocalWeighting.PerImage }, new { ave_spectrum = true, with_matrix = true }),
    };

    [PyTorchTheory, MemberData(nameof(Variants))]
    public void MatchesMfmFrequencyLossValueGradientAndMap(string variant)
    {
        var (options, reference) = Options(variant);
        var (p, target) = Pair(4, 32, 32, seed: 7);
        var inputs = new Dictionary<string, Tensor> { ["pred"] = p, ["target"] = target };

        var map = PyTorchReference.Call("loss_map", inputs, new { options = reference });
        using (var ours = FrequencyLoss.Map(p, target, options))
            TensorAssert.CloseRelativeToMax(map["map"], ours, 1e-5, $"{variant}: map");

        var mean = PyTorchReference.Call("loss_mean", inputs, new { options = reference });
        using (var pred = p.clone().requires_grad_(true))
        {
            using var loss = FrequencyLoss.Mean(pred, target, options);
            loss.backward();
            TensorAssert.CloseRelative(mean["loss"].item<float>(), loss.item<float>(), 1e-5, $"{variant}: normal reduction");
            TensorAssert.CloseRelativeToMax(mean["grad"], pred.grad!, 1e-5, $"{variant}: normal-reduction gradient");
        }

        if (options.PatchFactor != 1) return;             // MFM's masked reduction needs the mask at tile size: P = 1 only
        using var g = new Generator(2);
        using var batch = new RadialMask(new RadialMaskOptions { Radius1 = 5 }).Sample(p, g);
        inputs["mask"] = batch.Masks;
        var masked = PyTorchReference.Call("loss_masked", inputs, new { options = reference });
        using (var pred = p.clone().requires_grad_(true))
        {
            using var loss = FrequencyLoss.Masked(pred, target, batch.Masks, options);
            loss.backward();
            TensorAssert.CloseRelative(masked["loss"].item<float>(), loss.item<float>(), 1e-5, $"{variant}: masked reduction");
            TensorAssert.CloseRelativeToMax(masked["grad"], pred.grad!, 1e-5, $"{variant}: masked-reduction gradient");
        }
    }

    [PyTorchFact]
    public void MatchesMfmWithAsymmetricMasks()
    {
        // The half-spectrum reduction symmetrises the mask; the loss map is symmetric, so the value cannot change.
        var (p, target) = Pair(3, 24, 24, seed: 9);
        using var g = new Generator(8);
        using var mask = rand(new long[] { 3, 24, 24 }, generator: g).lt(0.4).to(ScalarType.Float32);
        var reference = PyTorchReference.Call("loss_masked", new Dictionary<string, Tensor> { ["pred"] = p, ["target"] = target, ["mask"] = mask });
        using var pred = p.clone().requires_grad_(true);
        using var loss = FrequencyLoss.Masked(pred, target, mask);
        loss.backward();
        TensorAssert.CloseRelative(reference["loss"].item<float>(), loss.item<float>(), 1e-5, "masked loss, asymmetric masks");
        TensorAssert.CloseRelativeToMax(reference["grad"], pred.grad!, 1e-5, "gradient, asymmetric masks");
    }
}
