using Folk.Lab.Experiments;
using Folk.Lab.Methods;

namespace Folk.Lab.Tests.Experiments;

/// <summary>The presets are the official MFM configs (configs/*/*_pretrain__*__300ep.yaml).</summary>
public class PresetTests
{
    [Fact]
    public void MfmPresetsAreTheOfficialConfigs()
    {
        foreach (var (recipe, model, lowPass) in new[]
        {
            (MfmPresets.VitBase224Ep300, "vit-b", 0.5), (MfmPresets.VitSmall224Ep300, "vit-s", 0.5), (MfmPresets.ResNet50224Ep300, "resnet50", 0.3),
        })
        {
            var mfm = Assert.IsType<MfmConfig>(recipe.Method);
            var t = recipe.Trainer;
            Assert.Equal((model, 224, 128, 16.0, lowPass, 0.2), (recipe.Model, recipe.ImageSize, recipe.BatchSize, mfm.Masks.Radius1, mfm.Masks.LowPassProbability, mfm.MinCropScale));
            Assert.Equal((300, 20.0, 3e-4, 2.5e-7, 2.5e-6, 0.05, 0.9, 0.95, (double?)3.0), (t.Epochs, t.WarmupEpochs, t.BaseLearningRate, t.WarmupLearningRate, t.MinLearningRate, t.WeightDecay, t.Beta1, t.Beta2, t.ClipGrad));
        }
        foreach (var baseline in new[] { "sr", "deblur", "denoise" })
            Assert.Equal(MfmPresets.VitBase224Ep300.Trainer, MfmPresets.For(baseline, "vit-b").Trainer);   // the baselines share the recipe
        Assert.Equal(8, Assert.IsType<SuperResolutionConfig>(MfmPresets.For("sr", "vit-b").Method).Corruption.Factor);
        Assert.Equal(5.0, Assert.IsType<DeblurConfig>(MfmPresets.For("deblur", "vit-b").Method).Corruption.Sigma);
        Assert.Equal(75.0 / 255, Assert.IsType<DenoiseConfig>(MfmPresets.For("denoise", "vit-b").Method).Corruption.Sigma, 12);
    }
}
