using Folk.Lab.Corruptions;
using Folk.Lab.Data;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Frequency;
using Folk.Lab.Methods;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions;

public class SizeScalingTests
{
    static readonly SizeScaling[] Rules = { SizeScaling.MatchedEnergy, SizeScaling.Proportional, SizeScaling.None };

    [Fact]
    public void EveryRuleKeepsThe224SettingsAndEachFollowsItsFormulaElsewhere()
    {
        Assert.Equal(1.0, SizeScalingRules.Exponent(224));
        double kappa = Math.Log(16) / Math.Log(112);                            // 32²: 4 octaves against 6.8
        Assert.Equal(kappa, SizeScalingRules.Exponent(32), 12);
        foreach (var rule in Rules)
        {
            Assert.Equal(8.0, rule.Factor(8, 224));
            Assert.Equal(5.0, rule.Sigma(5, 224));
        }
        Assert.Equal(Math.Pow(8, kappa), SizeScaling.MatchedEnergy.Factor(8, 32), 12);                 // 3.39
        Assert.Equal(3.394, SizeScaling.MatchedEnergy.Factor(8, 32), 3);
        double c = Math.Sqrt(2 * Math.Log(2)) / Math.PI;                          // a Gaussian's half-power point
        Assert.Equal(c * Math.Pow(5 / c, kappa), SizeScaling.MatchedEnergy.Sigma(5, 32), 12);        // 1.72
        Assert.Equal(8.0 * 32 / 224, SizeScaling.Proportional.Factor(8, 32), 12);
        Assert.Equal(5.0, SizeScaling.None.Sigma(5, 32));
        // between the two others, and stronger (in pixels) the larger the image
        Assert.InRange(SizeScaling.MatchedEnergy.Sigma(5, 32), SizeScaling.Proportional.Sigma(5, 32), 5);
        Assert.True(SizeScaling.MatchedEnergy.Factor(8, 448) > 8 && SizeScaling.MatchedEnergy.Factor(8, 16) < SizeScaling.MatchedEnergy.Factor(8, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => SizeScaling.MatchedEnergy.Sigma(5, 2));
    }

    [Fact]
    public void TheRestorationConfigsApplyTheScaledCorruptionAndRecordIt()
    {
        var sr = new SuperResolutionConfig();
        var blur = new DeblurConfig();
        var noise = new DenoiseConfig();
        Assert.Equal(SizeScaling.MatchedEnergy, sr.SizeScaling);
        Assert.Equal(3.394, sr.CorruptionAt(32).Factor, 3);
        Assert.Equal(1.72, blur.CorruptionAt(32).Sigma, 2);
        Assert.Equal(new[] { 3, 3, 3, 5, 5, 5, 7, 7 }, blur.CorruptionAt(32).KernelSizes);
        Assert.Equal(noise.Corruption, noise.CorruptionAt(32));                 // white noise: nothing to scale
        Assert.Equal(new[] { 7, 9, 11, 13, 15, 17, 19, 21 }, (blur with { SizeScaling = SizeScaling.None }).CorruptionAt(32).KernelSizes);
        Assert.Equal(new[] { 1, 1, 1, 1, 3, 3, 3, 3 }, (blur with { SizeScaling = SizeScaling.Proportional }).CorruptionAt(32).KernelSizes);

        // at 224², and with no scaling, run folders record what they always recorded, so they resume
        Assert.Equal("""{"MinCropScale":0.2,"Corruption":{"Factor":8}}""", sr.Describe(224).ToJsonString());
        Assert.Equal("""{"MinCropScale":0.2,"Corruption":{"Sigma":5,"KernelSizes":[7,9,11,13,15,17,19,21]}}""", blur.Describe(224).ToJsonString());
        Assert.Equal(sr.Describe(224).ToJsonString(), (sr with { SizeScaling = SizeScaling.None }).Describe(32).ToJsonString());
        Assert.Contains("\"Factor\":3.39", sr.Describe(32).ToJsonString());
    }

    [Fact]
    public void FolksViewBlurIsScaledAndRecordedOnlyWhereItDiffersFromDinos()
    {
        var folk = new FolkConfig();
        var views = folk.SizedTo(32).Views;
        Assert.Equal(SizeScaling.MatchedEnergy.Sigma(0.1, 32), views.BlurSigmaMin, 12);
        Assert.Equal(SizeScaling.MatchedEnergy.Sigma(2.0, 32), views.BlurSigmaMax, 12);
        Assert.InRange(views.BlurSigmaMax, 0.99, 1.01);
        var firstView = Assert.IsType<Compose>(MultiViewTransform.Dino(views).Transforms[0]);
        var blur = Assert.IsType<GaussianBlur>(firstView.Steps[^1]);
        Assert.Equal((1.0, views.BlurSigmaMin, views.BlurSigmaMax), (blur.Probability, blur.SigmaMin, blur.SigmaMax));
        var augmented = Assert.IsType<Compose>(Assert.IsType<MultiViewTransform>(folk.Augmentation(32)).Transforms[0]);
        Assert.Equal(views.BlurSigmaMax, Assert.IsType<GaussianBlur>(augmented.Steps[^1]).SigmaMax);

        string Views(FolkConfig c, int size) => c.Describe(size)["Folk"]!["Views"]!.ToJsonString();
        Assert.DoesNotContain("BlurSigma", Views(folk, 224));
        Assert.DoesNotContain("BlurSigma", Views(folk with { SizeScaling = SizeScaling.None }, 32));
        Assert.Contains("\"BlurSigmaMax\":1.00", Views(folk, 32));
        Assert.DoesNotContain("SizeScaling", folk.Describe(32).ToJsonString());
    }

    /// <summary>The mean share of the images' AC energy (every frequency but DC) that <paramref name="corrupt"/> changes:
    /// ‖(x − y) − mean‖² / ‖x − mean‖² per image, which by Parseval is Σ_{f≠0} |X − Y|² / Σ_{f≠0} |X|².</summary>
    static double EnergyChanged(Tensor x, Func<Tensor, Tensor> corrupt)
    {
        using var scope = NewDisposeScope();
        var y = corrupt(x);
        var d = x - y;
        d = d - d.mean(new long[] { 2, 3 }, keepdim: true);
        var ac = x - x.mean(new long[] { 2, 3 }, keepdim: true);
        return (d.pow(2).sum(new long[] { 1, 2, 3 }) / ac.pow(2).sum(new long[] { 1, 2, 3 })).mean().item<float>();
    }

    static Tensor Images(int size, int count)
    {
        var data = new SyntheticImages(new SyntheticImagesOptions { Size = size, Count = count, Seed = 7 });
        return stack(Enumerable.Range(0, count).Select(i => data.Get(i).Image).ToArray());
    }

    /// <summary>SR, Deblur (averaged over its kernel sizes) and FOLK's first-view blur (averaged over 8 σ spread over
    /// its range), each built from its config at <paramref name="size"/> under <paramref name="rule"/>.</summary>
    static double[] EnergiesChanged(Tensor x, int size, SizeScaling rule)
    {
        var sr = new SuperResolutionCorruption(new SuperResolutionConfig { SizeScaling = rule }.CorruptionAt(size));
        var deblur = new GaussianBlurCorruption(new DeblurConfig { SizeScaling = rule }.CorruptionAt(size));
        var views = new FolkConfig { SizeScaling = rule }.SizedTo(size).Views;
        int n = (int)x.shape[0];
        // GaussianBlur's kernel (2⌈3σ⌉ + 1 taps, reflected borders), run on the whole batch at once
        Tensor Blur(Tensor images, double sigma) =>
            new GaussianBlurCorruption(new GaussianBlurOptions { Sigma = sigma, KernelSizes = [GaussianBlur.KernelSize(sigma)] }).Blur(images, Enumerable.Repeat(GaussianBlur.KernelSize(sigma), n).ToArray());
        double blurred = Enumerable.Range(0, 8).Select(i => views.BlurSigmaMin + (views.BlurSigmaMax - views.BlurSigmaMin) * (i + 0.5) / 8)
            .Average(sigma => EnergyChanged(x, images => Blur(images, sigma)));
        return new[]
        {
            EnergyChanged(x, sr.Degrade),
            deblur.Options.KernelSizes.Average(k => EnergyChanged(x, images => deblur.Blur(images, Enumerable.Repeat(k, n).ToArray()))),
            blurred,
        };
    }

    // The rule is exact for a 1/f² power spectrum. The synthetic images come close (a slope near −1.8, held in [−3, −1.5]
    // by their own test), but not exactly, their fixed-size details (1.5-pixel leaves, textures of at least 6 pixels)
    // shift the balance between sizes, and odd kernel sizes round the scaled blur: 15 % of the 224² value covers these
    // (measured: 3–6 %), while the other two rules miss by 64–131 % (none) and 80–100 % (proportional).
    [Fact]
    public void TheCorruptionsChangeTheSameShareOfSpectralEnergyAt32AsAt224()
    {
        string[] names = { "SR", "Deblur", "DINO blur" };
        using var large = Images(224, 48);
        using var small = Images(32, 192);
        var reference = EnergiesChanged(large, 224, SizeScaling.MatchedEnergy);                   // every rule is the identity at 224²
        var measured = Rules.ToDictionary(rule => rule, rule => EnergiesChanged(small, 32, rule));
        string Report() => string.Join("; ", names.Select((name, i) =>
            $"{name} 224² {reference[i]:F3}, 32² " + string.Join(" / ", Rules.Select(r => $"{r} {measured[r][i]:F3}"))));
        for (int i = 0; i < names.Length; i++)
        {
            double Miss(SizeScaling rule) => Math.Abs(measured[rule][i] / reference[i] - 1);
            Assert.True(Miss(SizeScaling.MatchedEnergy) <= 0.15, $"{names[i]}: matched energy misses by more than 15 %: {Report()}");
            Assert.True(Miss(SizeScaling.None) > 0.5, $"{names[i]}: {Report()}");
            Assert.True(Miss(SizeScaling.Proportional) > 0.5, $"{names[i]}: {Report()}");
        }
    }
}
