using Folk.Lab.Data.Transforms;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Data.Transforms;

public class MixupTests
{
    static Tensor Batch(int b = 4, int h = 16, int w = 20) => TestImages.Normal(new long[] { b, 3, h, w }, 8);

    [Fact]
    public void DefaultsAreMfmsFineTuningRecipe()
    {
        var o = new MixupOptions();
        Assert.Equal((0.8, 1.0, 1.0, 0.5, 0.1, 1000), (o.MixupAlpha, o.CutMixAlpha, o.Probability, o.SwitchProbability, o.LabelSmoothing, o.Classes));
        Assert.Equal(CutMixLambda.ClippedBoxArea, o.Lambda);
    }

    [Fact]
    public void TargetsAreTheMixOfSmoothedOneHotRowsAndSumToOne()
    {
        using var labels = tensor(new long[] { 0, 2, 1, 3, 2, 0 });
        const double lambda = 0.7, eps = 0.1;
        using var targets = Mixup.Targets(labels, lambda, 5, eps);
        Assert.Equal(new long[] { 6, 5 }, targets.shape);
        double off = eps / 5, on = 1 - eps + off;                      // 0.02 and 0.92
        var y = new long[] { 0, 2, 1, 3, 2, 0 };
        for (int i = 0; i < 6; i++)
            for (int k = 0; k < 5; k++)
            {
                double own = y[i] == k ? on : off, partner = y[5 - i] == k ? on : off;
                Assert.Equal(lambda * own + (1 - lambda) * partner, targets[i, k].item<float>(), 6);
            }
        using var sums = targets.sum(1);
        TensorAssert.CloseRelativeToMax(ones(6), sums, 1e-6, "row sums");
        // MFM's values at K = 1000: off 1e-4, on 0.9001.
        using var mfm = Mixup.Targets(tensor(new long[] { 7, 7 }), 1.0, 1000, 0.1);
        Assert.Equal(1e-4, mfm[0, 0].item<float>(), 7);
        Assert.Equal(0.9001, mfm[0, 7].item<float>(), 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => Mixup.Targets(tensor(new long[] { 0, 5 }), 0.5, 5, 0.1));
    }

    [Fact]
    public void MixupBlendsEachImageWithItsPartnerInTheReversedBatch()
    {
        using var x = Batch();
        using var labels = tensor(new long[] { 1, 2, 3, 4 });
        var mixup = new Mixup(new MixupOptions { Classes = 5 });
        using var mixed = mixup.Apply(x, labels, new MixupDraw(MixKind.Mixup, 0.3));
        for (int i = 0; i < 4; i++)
        {
            using var expected = 0.3f * x[i] + 0.7f * x[3 - i];
            TensorAssert.CloseRelativeToMax(expected, mixed.Images[i], 1e-6, $"image {i}");
        }
        using var targets = Mixup.Targets(labels, 0.3, 5, 0.1);
        TensorAssert.Equal(targets, mixed.Targets, "targets");
        using var again = x * 1;
        TensorAssert.Equal(again, x, "the input is not modified");
    }

    [Fact]
    public void CutMixPastesTheBoxFromTheFlippedBatchAndLambdaIsTheUncoveredShare()
    {
        using var x = Batch(6, 16, 20);
        using var labels = tensor(new long[] { 0, 1, 2, 3, 4, 5 });
        var mixup = new Mixup(new MixupOptions { Classes = 6, SwitchProbability = 1 });
        var random = new Random(3);
        int clipped = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            var draw = mixup.Sample(16, 20, random);
            Assert.Equal(MixKind.CutMix, draw.Kind);
            var box = draw.Box!.Value;
            Assert.True(box.Top >= 0 && box.Left >= 0 && box.Top + box.Height <= 16 && box.Left + box.Width <= 20, $"{box}");
            Assert.Equal(1 - box.Height * box.Width / (16.0 * 20.0), draw.Lambda, 12);
            if (box.Top == 0 || box.Left == 0 || box.Top + box.Height == 16 || box.Left + box.Width == 20) clipped++;
            if (trial >= 5) continue;

            using var mixed = mixup.Apply(x, labels, draw);
            using var inside = zeros(new long[] { 16, 20 }, ScalarType.Bool);
            inside.narrow(0, box.Top, box.Height).narrow(1, box.Left, box.Width).fill_(true);
            for (int i = 0; i < 6; i++)
            {
                using var fromPartner = x[5 - i].narrow(1, box.Top, box.Height).narrow(2, box.Left, box.Width);
                TensorAssert.Equal(fromPartner, mixed.Images[i].narrow(1, box.Top, box.Height).narrow(2, box.Left, box.Width), $"box of image {i}");
                using var outside = inside.logical_not().expand(3, -1, -1);
                using var kept = mixed.Images[i].masked_select(outside);
                using var own = x[i].masked_select(outside);
                TensorAssert.Equal(own, kept, $"rest of image {i}");
            }
            using var targets = Mixup.Targets(labels, draw.Lambda, 6, 0.1);
            TensorAssert.Equal(targets, mixed.Targets, "targets use the corrected λ");
        }
        Assert.True(clipped > 20, $"the clipping branch is exercised ({clipped} of 200)");

        // Without the correction λ is the Beta draw, whatever the box.
        var raw = new Mixup(new MixupOptions { SwitchProbability = 1, Lambda = CutMixLambda.Drawn });
        var draws = Enumerable.Range(0, 200).Select(_ => raw.Sample(16, 20, random)).ToArray();
        Assert.Contains(draws, d => Math.Abs(d.Lambda - (1 - d.Box!.Value.Height * d.Box.Value.Width / 320.0)) > 0.05);
    }

    [Fact]
    public void DrawsFollowTheSwitchProbabilityAndTheBetaDistributions()
    {
        const int n = 20_000;
        var random = new Random(29);
        var draws = Enumerable.Range(0, n).Select(_ => new Mixup().Sample(224, 224, random)).ToArray();
        Assert.DoesNotContain(draws, d => d.Kind == MixKind.None);                    // p = 1
        double cutmix = draws.Count(d => d.Kind == MixKind.CutMix) / (double)n;
        Assert.InRange(cutmix, 0.5 - 4 * Math.Sqrt(0.25 / n), 0.5 + 4 * Math.Sqrt(0.25 / n));
        // Mixup's λ ~ Beta(0.8, 0.8): mean 1/2, variance α² / ((2α)² (2α + 1)) = 0.0962.
        var lambdas = draws.Where(d => d.Kind == MixKind.Mixup).Select(d => d.Lambda).ToArray();
        double mean = lambdas.Average(), variance = lambdas.Sum(l => (l - mean) * (l - mean)) / (lambdas.Length - 1);
        Assert.InRange(mean, 0.5 - 4 * Math.Sqrt(0.0962 / lambdas.Length), 0.5 + 4 * Math.Sqrt(0.0962 / lambdas.Length));
        Assert.InRange(variance, 0.0962 * 0.94, 0.0962 * 1.06);
        Assert.All(lambdas, l => Assert.InRange(l, 0, 1));
        // Beta(1, 1) is uniform: the raw CutMix draws have variance 1/12.
        var cut = Enumerable.Range(0, n).Select(_ => new Mixup(new MixupOptions { MixupAlpha = 0, Lambda = CutMixLambda.Drawn }).Sample(224, 224, random).Lambda).ToArray();
        double cm = cut.Average(), cv = cut.Sum(l => (l - cm) * (l - cm)) / (n - 1);
        Assert.InRange(cm, 0.5 - 4 * Math.Sqrt(1 / 12.0 / n), 0.5 + 4 * Math.Sqrt(1 / 12.0 / n));
        Assert.InRange(cv, 1 / 12.0 * 0.96, 1 / 12.0 * 1.04);

        var never = new Mixup(new MixupOptions { Probability = 0 });
        Assert.Equal(new MixupDraw(MixKind.None, 1.0), never.Sample(224, 224, random));
        using var x = Batch();
        using var labels = tensor(new long[] { 1, 1, 2, 2 });
        using var unmixed = never.Apply(x, labels, random);
        TensorAssert.Equal(x, unmixed.Images, "λ = 1 leaves the images");
    }

    [Fact]
    public void GammaDrawsHaveTheirShapeAsMean()
    {
        var random = new Random(31);
        foreach (var shape in new[] { 0.8, 1.0, 2.5 })
        {
            var g = Enumerable.Range(0, 20_000).Select(_ => RandomVariates.Gamma(random, shape)).ToArray();
            double mean = g.Average(), variance = g.Sum(v => (v - mean) * (v - mean)) / (g.Length - 1);
            Assert.InRange(mean, shape - 4 * Math.Sqrt(shape / g.Length), shape + 4 * Math.Sqrt(shape / g.Length));
            Assert.InRange(variance, shape * 0.9, shape * 1.1);                       // Gamma(k, 1): variance k
        }
    }

    [Fact]
    public void BadBatchesAreRefused()
    {
        var mixup = new Mixup(new MixupOptions { Classes = 5 });
        using var odd = Batch(3);
        using var labels3 = tensor(new long[] { 0, 1, 2 });
        Assert.Throws<ArgumentException>(() => mixup.Apply(odd, labels3, new Random(0)));
        using var x = Batch();
        using var wrong = tensor(new long[] { 0, 1 });
        Assert.Throws<ArgumentException>(() => mixup.Apply(x, wrong, new MixupDraw(MixKind.Mixup, 0.5)));
        using var labels = tensor(new long[] { 0, 1, 2, 3 });
        Assert.Throws<ArgumentException>(() => mixup.Apply(x, labels, new MixupDraw(MixKind.CutMix, 0.5)));
        Assert.Throws<ArgumentException>(() => new Mixup(new MixupOptions { MixupAlpha = 0, CutMixAlpha = 0 }));
    }
}
