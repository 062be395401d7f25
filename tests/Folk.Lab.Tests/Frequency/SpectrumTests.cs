using Folk.Lab.Frequency;
using Folk.Lab.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Frequency;

public class SpectrumTests
{
    public static TheoryData<long, long> Sizes => new() { { 32, 32 }, { 31, 27 }, { 24, 17 } };

    [Theory, MemberData(nameof(Sizes))]
    public void ParsevalHoldsWithOrthoNorm(long h, long w)
    {
        using var x = TestImages.Uniform(new[] { 2, 3, h, w }, dtype: ScalarType.Float64);
        using var spectrum = Spectrum.Centered(x, FFTNormType.Ortho);
        using var power = Spectrum.Power(spectrum);
        TensorAssert.CloseRelative(x.square().sum().item<double>(), power.sum().item<double>(), 1e-12, "Σ|X|² vs Σ|x|²");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void DcIsSqrtHwTimesTheMeanWithOrthoNorm(long h, long w)
    {
        using var x = TestImages.Uniform(new[] { 1, 3, h, w });
        using var spectrum = Spectrum.Centered(x, FFTNormType.Ortho);
        for (int c = 0; c < 3; c++)
        {
            var dc = spectrum[0, c, FrequencyGrid.Center(h), FrequencyGrid.Center(w)];
            double expected = Math.Sqrt(h * w) * x[0, c].mean().item<float>();
            TensorAssert.CloseRelative(expected, dc.real.item<float>(), 1e-6, $"DC of channel {c}");
            Assert.True(Math.Abs(dc.imag.item<float>()) < 1e-5, "DC of a real image is real");
        }
    }

    [Theory, MemberData(nameof(Sizes))]
    public void InverseUndoesCenteredExactly(long h, long w)
    {
        using var x = TestImages.Uniform(new[] { 2, 3, h, w });
        foreach (var norm in new[] { FFTNormType.Backward, FFTNormType.Ortho })
        {
            using var back = Spectrum.Inverse(Spectrum.Centered(x, norm), norm);
            Assert.True((back.real - x).abs().max().item<float>() < 1e-5, $"round trip ({norm})");
            Assert.True(back.imag.abs().max().item<float>() < 1e-5, $"imaginary residue ({norm})");
        }
    }

    [Theory, MemberData(nameof(Sizes))]
    public void SpectrumOfARealImageIsHermitian(long h, long w)
    {
        using var x = TestImages.Uniform(new[] { 1, 1, h, w });
        using var spectrum = Spectrum.Centered(x);
        using var mirrored = FrequencyGrid.Mirror(spectrum);
        TensorAssert.CloseRelativeToMax(torch.view_as_real(spectrum.conj().resolve_conj()), torch.view_as_real(mirrored), 1e-6, "X(−k) vs conj X(k)");
    }

    [Fact]
    public void ViewsOfAShiftedImpulseHaveKnownValues()
    {
        // x = δ(y, x − 1) on an 8×8 grid: X(ky, kx) = exp(−2πi·kx/8), |X| = 1, arg X = −2π·kx/8.
        using var x = zeros(1, 1, 8, 8);
        x[0, 0, 0, 1] = 1;
        using var spectrum = Spectrum.Centered(x);
        using var logMagnitude = Spectrum.LogMagnitude(spectrum);
        using var phase = Spectrum.Phase(spectrum);
        Assert.True((logMagnitude - Math.Log(2)).abs().max().item<float>() < 1e-6, "log(1 + |X|) = log 2 everywhere");
        for (int kx = -4; kx < 4; kx++)
        {
            double expected = Math.IEEERemainder(-2 * Math.PI * kx / 8, 2 * Math.PI);
            if (expected <= -Math.PI + 1e-9) expected += 2 * Math.PI;
            Assert.Equal(expected, phase[0, 0, 2, kx + 4].item<float>(), 5);
        }
    }

    [Fact]
    public void ViewsRejectRealInputWithAClearMessage()
    {
        using var x = zeros(1, 1, 4, 4);
        var e = Assert.Throws<ArgumentException>(() => Spectrum.LogMagnitude(x));
        Assert.Contains("complex spectrum", e.Message);
    }

    [PyTorchTheory, MemberData(nameof(Sizes))]
    public void CenteredAndInverseMatchPyTorch(long h, long w)
    {
        using var x = TestImages.Uniform(new[] { 2, 3, h, w });
        foreach (var (norm, name) in new[] { (FFTNormType.Backward, "backward"), (FFTNormType.Ortho, "ortho") })
        {
            using var ours = Spectrum.Centered(x, norm);
            var reference = PyTorchReference.Call("spectrum", new Dictionary<string, Tensor> { ["images"] = x }, new { norm = name });
            TensorAssert.CloseRelativeToMax(reference["real"], ours.real, 1e-5, $"Re X ({name})");
            TensorAssert.CloseRelativeToMax(reference["imag"], ours.imag, 1e-5, $"Im X ({name})");

            var inverse = PyTorchReference.Call("inverse",
                new Dictionary<string, Tensor> { ["real"] = ours.real.contiguous(), ["imag"] = ours.imag.contiguous() }, new { norm = name });
            using var back = Spectrum.Inverse(ours, norm);
            TensorAssert.CloseRelativeToMax(inverse["real"], back.real, 1e-5, $"Re x ({name})");
        }
    }
}
