using Folk.Lab.Evaluation.Finetuning;

namespace Folk.Lab.Tests.Evaluation;

public class LayerDecayTableTests
{
    /// <summary>MFM's ViT-B fine-tuning: 14 layer ids, scale 0.8^(13 − id) (cls_token, pos_embed and patch_embed at 0,
    /// blocks.i at i + 1, fc_norm and head at 13), weight decay 0.05 except for 1-D tensors, biases, pos_embed and
    /// cls_token. The expected scales are the table of the official code's parameter-group log, to four places.</summary>
    [Fact]
    public void VitBaseParametersGetTheOfficialFourteenScalesAndDecays()
    {
        var table = new[] { .0550, .0687, .0859, .1074, .1342, .1678, .2097, .2621, .3277, .4096, .5120, .6400, .8000, 1.0 };
        var lines = Finetune.DescribeOptimizer(FinetunePresets.VitBase, classes: 1000);
        Assert.Equal(164, lines.Count);                        // 4 embedding tensors + 12 × 13 block tensors (q_bias and v_bias) + fc_norm (2) + head (2)
        double ScaleOf(string name) => (double)lines.Single(l => (string)l["name"]! == name)["lr_scale"]!;
        double DecayOf(string name) => (double)lines.Single(l => (string)l["name"]! == name)["weight_decay"]!;

        foreach (var name in new[] { "cls_token", "pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias" })
            Assert.Equal(table[0], ScaleOf(name), 4);
        for (int block = 0; block < 12; block++)
        {
            Assert.Equal(table[block + 1], ScaleOf($"blocks.{block}.attn.qkv.weight"), 4);
            Assert.Equal(table[block + 1], ScaleOf($"blocks.{block}.mlp.fc2.bias"), 4);
        }
        foreach (var name in new[] { "fc_norm.weight", "fc_norm.bias", "head.weight", "head.bias" })
            Assert.Equal(1.0, ScaleOf(name));
        Assert.Equal(14, lines.Select(l => Math.Round((double)l["lr_scale"]!, 8)).Distinct().Count());

        Assert.Equal(0.05, DecayOf("blocks.3.attn.qkv.weight"));
        Assert.Equal(0.05, DecayOf("head.weight"));
        Assert.Equal(0.05, DecayOf("patch_embed.proj.weight"));
        foreach (var name in new[] { "cls_token", "pos_embed", "patch_embed.proj.bias", "blocks.0.norm1.weight", "fc_norm.weight", "head.bias" })
            Assert.Equal(0.0, DecayOf(name));
        Assert.Equal(new long[] { 1000, 768 }, lines.Single(l => (string)l["name"]! == "head.weight")["shape"]!.AsArray().Select(d => (long)d!));
    }

    [Fact]
    public void OnlyThePeakScalesThroughLayerDecay()
    {
        // timm's scheduler as MFM's fine-tuning uses it: each group's base value is lr × scale; warm-up start and floor are shared
        var schedule = new Folk.Lab.Training.Schedules.WarmupCosine(1e-6, 8e-3, 1e-6, WarmupSteps: 100, TotalSteps: 1000);
        Assert.Equal(1e-6, schedule.ForScale(0.055, 0), 12);
        Assert.Equal(1e-6, schedule.ForScale(0.055, 1000), 12);
        Assert.Equal(8e-3 * 0.055, schedule.ForScale(0.055, 100) / (0.5 * (1 + Math.Cos(Math.PI * 0.1))) * 1, 6);
        Assert.Equal(schedule.At(500), schedule.ForScale(1, 500));
        Assert.True(schedule.ForScale(0.5, 500) < schedule.At(500));
    }
}
