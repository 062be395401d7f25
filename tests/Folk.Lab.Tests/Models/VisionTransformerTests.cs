using Folk.Lab.Models;
using Folk.Lab.Models.Heads;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Models;

[Collection(GlobalRngCollection.Name)]              // InitialisationIsMfmsPretrainingOne seeds the global generator
public class VisionTransformerTests
{
    static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());

    // The official model's counts at 224² (Jiahao000/MFM models/vision_transformer.py and models/mfm.py).
    [Theory]
    [InlineData("base", 85_789_440, 590_592)]
    [InlineData("small", 21_661_056, 295_680)]
    public void ParameterCountsEqualTheReference(string preset, long encoder, long head)
    {
        var config = preset == "base" ? VisionTransformerConfig.Base16 : VisionTransformerConfig.Small16;
        using var vit = new VisionTransformer(config);
        using var mfmHead = new MfmHead(vit.Features, vit.Stride);
        Assert.Equal(encoder, Count(vit));
        Assert.Equal(head, Count(mfmHead));
    }

    [Fact]
    public void StateDictKeysAreTheReferencesNames()
    {
        using var vit = new VisionTransformer(VisionTransformerConfig.Tiny16 with { Depth = 2, ImageSize = 32 });
        var keys = vit.state_dict().Keys.ToList();
        Assert.Equal(new[]
        {
            "cls_token", "pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias",
            "blocks.0.norm1.weight", "blocks.0.norm1.bias", "blocks.0.attn.q_bias", "blocks.0.attn.v_bias",
            "blocks.0.attn.qkv.weight", "blocks.0.attn.proj.weight", "blocks.0.attn.proj.bias",
            "blocks.0.norm2.weight", "blocks.0.norm2.bias", "blocks.0.mlp.fc1.weight", "blocks.0.mlp.fc1.bias",
            "blocks.0.mlp.fc2.weight", "blocks.0.mlp.fc2.bias",
        }.Order(), keys.Where(k => !k.StartsWith("blocks.1") && !k.StartsWith("norm.")).Order());
        Assert.Contains("norm.weight", keys);
        Assert.Equal(new long[] { 1, 5, 192 }, vit.state_dict()["pos_embed"].shape);   // 2×2 patches + cls
    }

    [Fact]
    public void InitialisationIsMfmsPretrainingOne()
    {
        torch.manual_seed(0);
        using var vit = new VisionTransformer(VisionTransformerConfig.Small16 with { Depth = 4 });
        var state = vit.state_dict();
        foreach (var key in new[] { "pos_embed", "cls_token", "blocks.0.attn.qkv.weight", "patch_embed.proj.weight", "blocks.3.mlp.fc1.weight" })
        {
            var w = state[key];
            Assert.True(w.abs().max().item<float>() <= 0.02f + 1e-7f, $"{key}: truncated at ±1σ = 0.02");
            // a N(0, 0.02²) truncated at ±1σ has std 0.02·√(1 − 2φ(1)/(2Φ(1)−1)) ≈ 0.01076
            Assert.InRange(w.std().item<float>(), 0.0104, 0.0111);
        }
        foreach (var (block, layer) in new[] { (0, 1), (3, 4) })
        {
            double expected = 0.01076 / Math.Sqrt(2.0 * layer);
            Assert.InRange(state[$"blocks.{block}.attn.proj.weight"].std().item<float>(), expected * 0.95, expected * 1.05);
            Assert.InRange(state[$"blocks.{block}.mlp.fc2.weight"].std().item<float>(), expected * 0.95, expected * 1.05);
        }
        Assert.Equal(0f, state["blocks.0.attn.q_bias"].abs().sum().item<float>());
        Assert.Equal(0f, state["blocks.2.mlp.fc1.bias"].abs().sum().item<float>());
        Assert.Equal(1f, state["norm.weight"].mean().item<float>());
    }

    [Fact]
    public void AClassifierGetsMfmsFineTuningInitialisation()
    {
        torch.manual_seed(0);
        using var vit = new VisionTransformer(VisionTransformerConfig.Small16 with { Depth = 2, ImageSize = 64, MeanPooling = true, Classes = 100 });
        var state = vit.state_dict();
        // the head: trunc-normal(0.02) × init_scale 0.001, bias 0 (MFM models/vision_transformer.py, BEiT)
        Assert.InRange(state["head.weight"].std().item<float>(), 0.0196e-3, 0.0204e-3);
        Assert.True(state["head.weight"].abs().max().item<float>() < 0.15e-3, "no weight beyond 7.5σ");
        Assert.Equal(0f, state["head.bias"].abs().sum().item<float>());
        // fc_norm (1, 0)
        Assert.True(state["fc_norm.weight"].eq(1f).all().item<bool>() && state["fc_norm.bias"].eq(0f).all().item<bool>());
        // the rest: timm's ±2 truncation, a plain N(0, 0.02²) in effect, not the pre-training ±1σ (std 0.0108)
        foreach (var key in new[] { "blocks.0.attn.qkv.weight", "patch_embed.proj.weight", "blocks.1.mlp.fc1.weight" })
        {
            Assert.InRange(state[key].std().item<float>(), 0.0195, 0.0205);
            Assert.InRange(state[key].abs().max().item<float>(), 0.06, 0.15);
        }
        Assert.InRange(state["blocks.1.mlp.fc2.weight"].std().item<float>(), 0.0195 / 2, 0.0205 / 2);   // ÷ √(2·2)
        // so fine-tuning starts from (almost) uniform class probabilities
        using var logits = vit.forward(TestImages.Uniform(new long[] { 4, 3, 64, 64 }));
        Assert.True(logits.abs().max().item<float>() < 0.01f, $"logits {logits.abs().max().item<float>()}");

        using var encoder = new VisionTransformer(VisionTransformerConfig.Small16 with { Depth = 1, ImageSize = 32 });
        Assert.Throws<InvalidOperationException>(encoder.InitializeForFineTuning);
    }

    [Fact]
    public void FeatureMapDropsClsAndKeepsTheGrid()
    {
        using var vit = new VisionTransformer(VisionTransformerConfig.Tiny16 with { Depth = 2, ImageSize = 64, PatchSize = 8 });
        using var x = TestImages.Uniform(new long[] { 2, 3, 64, 64 });
        using var map = vit.FeatureMap(x);
        Assert.Equal(new long[] { 2, 192, 8, 8 }, map.shape);
        using var tokens = vit.Tokens(x);
        // token 1 + 8·r + c is cell (r, c) of the map
        Assert.Equal(tokens[1, 1 + 8 * 3 + 5, 7].item<float>(), map[1, 7, 3, 5].item<float>());
        using var pooled = vit.Pooled(x);
        Assert.Equal(new long[] { 2, 192 }, pooled.shape);
        var e = Assert.Throws<ArgumentException>(() => vit.FeatureMap(zeros(1, 3, 30, 30)));
        Assert.Contains("multiples of the patch size 8", e.Message);
        // another multiple of the patch size works, with pos_embed resized (DINO's multi-crop local views)
        using var small = vit.FeatureMap(zeros(1, 3, 32, 40));
        Assert.Equal(new long[] { 1, 192, 4, 5 }, small.shape);
    }

    [Fact]
    public void AttentionWeightsAreDistributionsAndLeaveTheOutputUnchanged()
    {
        using var vit = new VisionTransformer(VisionTransformerConfig.Tiny16 with { Depth = 3, ImageSize = 32, PatchSize = 8 });
        vit.eval();
        using var x = TestImages.Uniform(new long[] { 2, 3, 32, 32 });
        using var before = vit.FeatureMap(x);
        var weights = vit.AttentionWeights(x);
        using var after = vit.FeatureMap(x);
        TensorAssert.Equal(before, after, "output with and without reading attention");
        Assert.Equal(3, weights.Count);
        Assert.Equal(new long[] { 2, 3, 17, 17 }, weights[0].shape);
        using var sums = weights[2].sum(-1);
        Assert.True((sums - 1).abs().max().item<float>() < 1e-5);
        // the explicit weights reproduce the fused attention of block 0
        var block = vit.Blocks[0];
        Assert.True(weights[0].min().item<float>() >= 0);
    }

    [Fact]
    public void BFloat16ComputeStaysCloseToFloat32()
    {
        using var vit = new VisionTransformer(VisionTransformerConfig.Tiny16 with { Depth = 2, ImageSize = 32, PatchSize = 8 });
        using var x = TestImages.Uniform(new long[] { 2, 3, 32, 32 });
        using var reference = vit.FeatureMap(x);
        Tensor mixed;
        using (Autocast.BFloat16()) mixed = vit.FeatureMap(x);
        Assert.Equal(ScalarType.Float32, mixed.dtype);                        // residual stream and norms stay float32
        TensorAssert.CloseRelativeToMax(reference, mixed, 3e-2, "bf16 matmuls vs float32");   // bf16 keeps 8 bits of mantissa
        Assert.True((reference - mixed).abs().max().item<float>() > 0, "the bf16 path really ran in bf16");
        foreach (var p in vit.parameters()) Assert.Equal(ScalarType.Float32, p.dtype);  // master weights untouched
    }

    [Fact]
    public void DropPathFollowsTheLinearRuleAndIsOffInEvaluation()
    {
        using var vit = new VisionTransformer(VisionTransformerConfig.Tiny16 with { Depth = 3, ImageSize = 32, PatchSize = 8, DropPath = 0.1 });
        var rates = vit.named_modules().Select(m => m.module).OfType<DropPath>().Select(d => d.Probability).ToArray();
        Assert.Equal(new[] { 0.0, 0.05, 0.1 }, rates);
        using var x = TestImages.Uniform(new long[] { 4, 3, 32, 32 });
        vit.eval();
        using var a = vit.FeatureMap(x);
        using var b = vit.FeatureMap(x);
        TensorAssert.Equal(a, b, "deterministic in evaluation");
    }

    [Fact]
    public void FineTuningFormPoolsNormalisesAndClassifies()
    {
        using var vit = new VisionTransformer(VisionTransformerConfig.Tiny16 with { Depth = 2, ImageSize = 32, PatchSize = 8, MeanPooling = true, Classes = 10 });
        var keys = vit.state_dict().Keys.ToList();
        Assert.Contains("fc_norm.weight", keys);
        Assert.Contains("head.weight", keys);
        Assert.DoesNotContain("norm.weight", keys);
        using var logits = vit.forward(TestImages.Uniform(new long[] { 3, 3, 32, 32 }));
        Assert.Equal(new long[] { 3, 10 }, logits.shape);
    }

    [Fact]
    public void HeadShufflesChannelsToPixelsAsTheReferenceSays()
    {
        // channel c·r² + i·r + j at (h, w) goes to pixel (c, h·r + i, w·r + j) (PyTorch's PixelShuffle, as
        // Jiahao000/MFM models/mfm.py uses it)
        using var head = new MfmHead(4, 2);
        using var features = TestImages.Uniform(new long[] { 1, 4, 3, 3 });
        using var y = head.forward(features);
        Assert.Equal(new long[] { 1, 3, 6, 6 }, y.shape);
        var conv = head.named_modules().Select(m => m.module).OfType<TorchSharp.Modules.Conv2d>().Single();
        using var channels = conv.forward(features);
        int c = 2, i = 1, j = 0, h = 2, w = 1;
        Assert.Equal(channels[0, c * 4 + i * 2 + j, h, w].item<float>(), y[0, c, h * 2 + i, w * 2 + j].item<float>());
    }
}

public class EncoderParityTests
{
    static Dictionary<string, Tensor> Inputs(nn.Module model, Tensor images)
    {
        var inputs = model.state_dict().Where(kv => !kv.Key.EndsWith("num_batches_tracked"))
            .ToDictionary(kv => "state." + kv.Key, kv => kv.Value);
        inputs["images"] = images;
        return inputs;
    }

    [PyTorchFact]
    public void VisionTransformerMatchesTheReferenceFormulas()
    {
        torch.manual_seed(3);
        using var vit = new VisionTransformer(VisionTransformerConfig.Tiny16 with { Depth = 3, ImageSize = 48, PatchSize = 8 });
        // a trained model's weights are not the initial ones: make biases and norms non-trivial before comparing
        using (no_grad()) foreach (var p in vit.parameters()) p.add_(randn_like(p) * 0.05);
        vit.eval();
        using var images = TestImages.Natural(2, 48);
        var reference = PyTorchReference.Call("vit", Inputs(vit, images), new { image_size = 48, patch_size = 8, heads = 3 });
        using var features = vit.FeatureMap(images);
        TensorAssert.CloseRelativeToMax(reference["features"], features, 1e-4, "ViT feature map");
        var attention = vit.AttentionWeights(images);
        TensorAssert.CloseRelativeToMax(reference["attention_last"], attention[^1], 1e-4, "last block's attention");
    }

    [PyTorchFact]
    public void ResNet50MatchesTorchvisionsLayout()
    {
        torch.manual_seed(4);
        using var resnet = new ResNet();
        using (no_grad()) foreach (var (name, p) in resnet.named_parameters()) if (name.EndsWith("bn3.weight")) p.fill_(0.5);
        resnet.eval();
        using var images = TestImages.Natural(1, 64);
        var reference = PyTorchReference.Call("resnet50", Inputs(resnet, images));
        using var features = resnet.FeatureMap(images);
        TensorAssert.CloseRelativeToMax(reference["features"], features, 1e-4, "ResNet-50 layer4");
    }
}
