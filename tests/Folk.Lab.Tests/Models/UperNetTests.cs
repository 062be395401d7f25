using Folk.Lab.Evaluation;
using Folk.Lab.Evaluation.Segmentation;
using Folk.Lab.Models;
using Folk.Lab.Models.Segmentation;
using Folk.Lab.Tests.Support;
using Folk.Lab.Training;
using Folk.Lab.Training.Checkpoints;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Models;

public class UperNetTests
{
    static VisionTransformerConfig Tiny(int depth = 6) => VisionTransformerConfig.Tiny16 with { ImageSize = 32, PatchSize = 4, Depth = depth };

    static UperNetConfig Heads => new() { Classes = 11, Channels = 64, AuxiliaryChannels = 32 };

    [Fact]
    public void TheBlocksReadAreBEiTsForDepthTwelveAndTheSameFractionsOtherwise()
    {
        Assert.Equal(new[] { 4, 6, 8, 12 }, UperNet.OutputBlocks(12));          // out_indices [3, 5, 7, 11]
        Assert.Equal(new[] { 8, 12, 16, 24 }, UperNet.OutputBlocks(24));        // BEiT-L's [7, 11, 15, 23]
        Assert.Equal(new[] { 2, 3, 4, 6 }, UperNet.OutputBlocks(6));
        Assert.Equal(new[] { 1, 1, 1, 1 }, UperNet.OutputBlocks(1));
    }

    [Fact]
    public void OutputShapesAndParameterCountFollowTheArchitecture()
    {
        manual_seed(1);
        using var model = new UperNet(Tiny(), Heads);
        model.eval();
        using var images = TestImages.Normal(new long[] { 2, 3, 32, 48 });
        using var logits = model.forward(images);
        Assert.Equal(new long[] { 2, 11, 32, 48 }, logits.shape);
        var (main, auxiliary) = model.Logits(images);
        using (main) using (auxiliary)
        {
            Assert.Equal(new long[] { 2, 11, 32, 48 }, main.shape);                 // patch 4 → grid 8×12 → fpn1 ×4
            Assert.Equal(new long[] { 2, 11, 8, 12 }, auxiliary.shape);             // level 2 = the patch grid
        }

        // ViT: patch embedding 3p²D + D, cls D, position (G² + 1)D, per block 12D² + 12D (qkv 3D², q/v biases 2D,
        // proj D² + D, fc1 4D² + 4D, fc2 4D² + D, two norms 4D), final norm 2D.
        long d = 192, p = 4, g = 8, depth = 6, c = 64, a = 32, k = 11;
        long vit = 3 * p * p * d + d + d + (g * g + 1) * d + depth * (12 * d * d + 12 * d) + 2 * d;
        // neck: three 2×2 transposed convolutions (4D² + D each) and one BatchNorm (2D)
        long neck = 3 * (4 * d * d + d) + 2 * d;
        // UperHead: classifier CK + K; four pooled 1×1 ConvModules (DC + 2C); bottleneck 3×3 over D + 4C; three lateral
        // 1×1 (DC + 2C); three 3×3 FPN convs (9C² + 2C); fusion 3×3 over 4C. A ConvModule's conv has no bias, its BN 2C.
        long head = c * k + k + 4 * (d * c + 2 * c) + (9 * (d + 4 * c) * c + 2 * c) + 3 * (d * c + 2 * c) + 3 * (9 * c * c + 2 * c) + (9 * 4 * c * c + 2 * c);
        // FCN: 3×3 ConvModule D → A, classifier AK + K
        long fcn = 9 * d * a + 2 * a + a * k + k;
        Assert.Equal(vit, model.Backbone.parameters().Sum(t => t.numel()));
        Assert.Equal(vit + neck + head + fcn, model.parameters().Sum(t => t.numel()));
    }

    [Fact]
    public void CentredTokensDifferFromTheReadBlocksByOneVectorPerImageAndAverageToZero()
    {
        manual_seed(3);
        using var plain = new UperNet(Tiny(), Heads);
        using var centred = new UperNet(Tiny(), Heads with { CentreTokens = true });
        centred.load_state_dict(plain.state_dict());
        plain.eval();
        centred.eval();
        using var images = TestImages.Normal(new long[] { 2, 3, 32, 32 });
        using var noGrad = no_grad();
        foreach (var (raw, less) in plain.ReadBlocks(images).Zip(centred.ReadBlocks(images)))
        {
            using var difference = raw - less;
            using var spread = difference - difference[.., .., ..1, ..1];                   // the same at every position
            using var means = less.mean([2, 3]);
            Assert.True(spread.abs().max().item<float>() < 1e-5, $"the removed part varies over positions by {spread.abs().max().item<float>()}");
            Assert.True(means.abs().max().item<float>() < 1e-5, $"a centred image's mean token is {means.abs().max().item<float>()} from zero");
            Assert.True(difference.abs().max().item<float>() > 1e-2);                     // something was removed
        }
        using var plainLogits = plain.forward(images);
        using var centredLogits = centred.forward(images);
        Assert.False(plainLogits.allclose(centredLogits, 1e-3, 1e-3));
    }

    [Fact]
    public void BlockOutputsAreTheIntermediateTokensOfEachDepthFromOnePass()
    {
        manual_seed(2);
        using var vit = new VisionTransformer(Tiny());
        vit.eval();
        using var images = TestImages.Normal(new long[] { 1, 3, 32, 32 });
        var outputs = vit.BlockOutputs(images, new[] { 2, 3, 3, 6 });
        foreach (var (depth, output) in new[] { 2, 3, 3, 6 }.Zip(outputs))
        {
            using var tokens = vit.IntermediateTokens(images, depth);
            using var expected = vit.PatchGrid(tokens, 8, 8);
            TensorAssert.Equal(expected, output, $"depth {depth}");
            output.Dispose();
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => vit.BlockOutputs(images, new[] { 3, 2 }));
    }

    [Fact]
    public void LoadingAPretrainedRunKeepsEveryEncoderWeightAndLeavesTheHeadsFresh()
    {
        var fixture = Path.Combine(RepositoryRoot.Path, "tests", "Folk.Lab.Tests", "Fixtures", "runs-v0", "mfm");
        var run = PretrainedRun.Open(fixture);
        var recipe = SegmentationPresets.Miniature().AdaptedTo(run);
        Assert.Equal(("vit-t", 16, 8, 1), (recipe.Model, recipe.ImageSize, recipe.PatchSize, recipe.Depth));
        manual_seed(3);
        using var model = SemanticSegmentation.Build(recipe, classes: 11);
        var heads = model.state_dict().Where(p => !p.Key.StartsWith("backbone.", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value.clone());
        var source = run.LoadInto(model.Backbone);
        Assert.Equal(("mfm", "vit-t"), (source.Method, source.Model));

        using var checkpoint = Checkpoint.Load(run.Checkpoint);
        var state = model.state_dict();
        var encoder = checkpoint.Model.Where(p => p.Key.StartsWith("encoder.", StringComparison.Ordinal)).ToList();
        Assert.Equal(state.Keys.Count(key => key.StartsWith("backbone.", StringComparison.Ordinal)), encoder.Count);
        foreach (var (key, value) in encoder)
            Assert.True(state["backbone." + key["encoder.".Length..]].eq(value).all().item<bool>(), key);
        foreach (var (key, value) in heads)
            Assert.True(state[key].eq(value).all().item<bool>(), $"{key} must stay fresh");
    }

    [Fact]
    public void LayerDecayRunsOverTheBackbonesBlocksAndGivesTheNeckAndHeadsTheFullRate()
    {
        manual_seed(4);
        using var model = new UperNet(Tiny(), Heads);
        var objective = new SegmentationObjective(model, 0.4);
        var groups = OptimizationStep.Groups(objective, new TrainerConfig { LayerDecay = 0.65, WeightDecay = 0.05 });
        var byName = groups.SelectMany(g => g.Parameters.Select(p => (p.Name, g))).ToDictionary(p => p.Name, p => p.g);
        Assert.Equal(model.parameters().Count(), byName.Count);
        // BEiT's get_num_layer_for_vit: patch embedding 0, block i → i + 1, everything else depth + 1; scale 0.65^(depth + 1 − id)
        Assert.Equal(Math.Pow(0.65, 7), byName["backbone.patch_embed.proj.weight"].LearningRateScale, 12);
        Assert.Equal(Math.Pow(0.65, 6), byName["backbone.blocks.0.attn.qkv.weight"].LearningRateScale, 12);
        Assert.Equal(0.65, byName["backbone.blocks.5.mlp.fc2.weight"].LearningRateScale, 12);
        foreach (var name in new[] { "neck.fpn1.0.weight", "decode_head.conv_seg.weight", "auxiliary_head.convs.0.conv.weight", "backbone.norm.weight" })
            Assert.Equal(1.0, byName[name].LearningRateScale);
        Assert.Equal(0.05, byName["decode_head.fpn_bottleneck.conv.weight"].WeightDecay);
        Assert.Equal(0.0, byName["decode_head.fpn_bottleneck.bn.weight"].WeightDecay);
        Assert.Equal(0.0, byName["neck.fpn1.0.bias"].WeightDecay);
    }
}
