using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Tests.Support;
using Folk.Lab.Training.Optim;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Training;

public class OptimizerTests
{
    [Fact]
    public void MfmsGroupsExcludeOneDimensionalBiasesPositionsAndClsFromDecay()
    {
        using var mfm = new Mfm(new VisionTransformer(VisionTransformerConfig.Tiny16 with { Depth = 2, ImageSize = 32, PatchSize = 8 }));
        var groups = ParameterGroups.Build(mfm, 0.05);
        var noDecay = groups.Single(g => g.Name == "no_decay").Parameters.Select(p => p.Name).ToHashSet();
        var decay = groups.Single(g => g.Name == "decay").Parameters.Select(p => p.Name).ToHashSet();
        foreach (var name in new[] { "encoder.pos_embed", "encoder.cls_token", "encoder.blocks.0.attn.q_bias", "encoder.blocks.1.attn.v_bias",
                                     "encoder.blocks.0.norm1.weight", "encoder.norm.bias", "encoder.patch_embed.proj.bias", "decoder.conv.bias" })
            Assert.Contains(name, noDecay);
        foreach (var name in new[] { "encoder.blocks.0.attn.qkv.weight", "encoder.blocks.1.mlp.fc2.weight", "encoder.patch_embed.proj.weight", "decoder.conv.weight" })
            Assert.Contains(name, decay);
        Assert.Equal(mfm.parameters().Count(), noDecay.Count + decay.Count);
        Assert.Equal(0.0, groups.Single(g => g.Name == "no_decay").WeightDecay);
    }

    [Fact]
    public void LayerDecayScalesFollowTheReferenceTable()
    {
        using var vit = new VisionTransformer(VisionTransformerConfig.Tiny16 with { ImageSize = 32, PatchSize = 16, MeanPooling = true, Classes = 10 });
        var groups = ParameterGroups.BuildWithLayerDecay(vit, 0.05, 0.8, 12);
        double Scale(string parameter) => groups.Single(g => g.Parameters.Any(p => p.Name == parameter)).LearningRateScale;
        // Jiahao000/MFM optimizer.py (build_finetune_optimizer), LAYER_DECAY 0.8: 0.8^(13 − id)
        Assert.Equal(0.0550, Scale("cls_token"), 4);
        Assert.Equal(0.0550, Scale("patch_embed.proj.weight"), 4);
        Assert.Equal(0.0687, Scale("blocks.0.attn.qkv.weight"), 4);
        Assert.Equal(0.4096, Scale("blocks.8.mlp.fc1.bias"), 4);
        Assert.Equal(0.8000, Scale("blocks.11.norm2.weight"), 4);
        Assert.Equal(1.0, Scale("head.weight"), 12);
        Assert.Equal(1.0, Scale("fc_norm.weight"), 12);
        Assert.Equal(0.0, groups.Single(g => g.Parameters.Any(p => p.Name == "blocks.3.attn.proj.bias")).WeightDecay);
    }

    [Fact]
    public void ClippingScalesTheTotalNormDownToTheLimit()
    {
        using var a = tensor(new[] { 3f, 0f }).requires_grad_(true);
        using var b = tensor(new[] { 0f, 4f }).requires_grad_(true);
        a.grad = tensor(new[] { 3f, 0f });
        b.grad = tensor(new[] { 0f, 4f });
        double norm = GradientClipping.ClipByNorm(new[] { a, b }, 1.0);
        Assert.Equal(5.0, norm, 5);
        Assert.Equal(0.6f, a.grad!.data<float>()[0], 5);
        Assert.Equal(0.8f, b.grad!.data<float>()[1], 5);
        Assert.Equal(1.0, GradientClipping.ClipByNorm(new[] { a, b }, 10.0), 4);   // below the limit: unchanged
        Assert.Equal(0.6f, a.grad!.data<float>()[0], 5);
    }

    [PyTorchFact]
    public void AdamWMatchesTorchOptimAdamW()
    {
        using var w = TestImages.Normal(new long[] { 4, 3 }, seed: 1).requires_grad_(true);
        using var b = TestImages.Normal(new long[] { 3 }, seed: 2).requires_grad_(true);
        var grads = Enumerable.Range(0, 3).Select(i => (G1: TestImages.Normal(new long[] { 4, 3 }, 10 + i), G2: TestImages.Normal(new long[] { 3 }, 20 + i))).ToList();
        var inputs = new Dictionary<string, Tensor> { ["w"] = w.detach().clone(), ["b"] = b.detach().clone() };
        for (int i = 0; i < 3; i++) { inputs[$"gw{i}"] = grads[i].G1; inputs[$"gb{i}"] = grads[i].G2; }
        double[] rates = { 1e-2, 5e-3, 2e-3 };

        var groups = new[]
        {
            new ParameterGroup("decay", new[] { ("w", (Tensor)w) }, 0.05, 1.0),
            new ParameterGroup("no_decay", new[] { ("b", (Tensor)b) }, 0.0, 0.5),
        };
        using var optimizer = new AdamW(groups, 0.9, 0.95, 1e-8);
        for (int i = 0; i < 3; i++)
        {
            w.grad = grads[i].G1.clone();
            b.grad = grads[i].G2.clone();
            optimizer.Step(rates[i]);
        }
        var reference = PyTorchReference.Call("adamw", inputs, new { rates, betas = new[] { 0.9, 0.95 }, eps = 1e-8, weight_decay = 0.05, b_scale = 0.5 });
        TensorAssert.CloseRelativeToMax(reference["w"], w, 1e-6, "weights after 3 AdamW steps");
        TensorAssert.CloseRelativeToMax(reference["b"], b, 1e-6, "biases after 3 AdamW steps");
    }
}

public class ExponentialMovingAverageTests
{
    [Fact]
    public void TargetMovesTowardTheSourceByOneMinusMomentumAndGetsNoGradients()
    {
        using var student = nn.Linear(3, 2);
        using var teacher = nn.Linear(3, 2);
        var ema = new Folk.Lab.Methods.ExponentialMovingAverage(teacher, student);
        Assert.All(teacher.parameters(), p => Assert.False(p.requires_grad));
        ema.CopySource();
        TensorAssert.Equal(student.weight!, teacher.weight!, "copied");
        using var before = teacher.weight!.clone();
        using (no_grad()) student.weight!.add_(1.0);
        ema.Update(0.9);
        using var expected = before * 0.9 + student.weight! * 0.1;
        TensorAssert.CloseRelativeToMax(expected, teacher.weight!, 1e-6, "θ_t = 0.9 θ_t + 0.1 θ_s");
        using var snapshot = teacher.weight!.clone();
        ema.Update(1.0);
        TensorAssert.Equal(snapshot, teacher.weight!, "momentum 1 freezes the target");
    }
}

public class LambTests
{
    // The reference is timm's Lamb written again in float64 (timm is not packaged for Debian); Folk.Lab's runs in
    // float32, so the tolerance is float32 rounding over three steps.
    [PyTorchFact]
    public void LambMatchesTimmsLambWithGlobalClippingAndTrustRatio()
    {
        using var w = TestImages.Normal(new long[] { 4, 3 }, seed: 1).requires_grad_(true);
        using var b = TestImages.Normal(new long[] { 3 }, seed: 2).requires_grad_(true);
        // gradients large enough (norm ≈ 6 ≫ 1) that timm's max_grad_norm 1.0 scales them down at every step
        var grads = Enumerable.Range(0, 3).Select(i => (G1: TestImages.Normal(new long[] { 4, 3 }, 10 + i) * 1.5, G2: TestImages.Normal(new long[] { 3 }, 20 + i) * 1.5)).ToList();
        var inputs = new Dictionary<string, Tensor> { ["w"] = w.detach().clone(), ["b"] = b.detach().clone() };
        for (int i = 0; i < 3; i++) { inputs[$"gw{i}"] = grads[i].G1; inputs[$"gb{i}"] = grads[i].G2; }
        double[] rates = { 1e-2, 5e-3, 2e-3 };

        var groups = new[]
        {
            new ParameterGroup("decay", new[] { ("w", (Tensor)w) }, 0.02, 1.0),
            new ParameterGroup("no_decay", new[] { ("b", (Tensor)b) }, 0.0, 0.5),
        };
        using var optimizer = new Lamb(groups);
        for (int i = 0; i < 3; i++)
        {
            w.grad = grads[i].G1.clone();
            b.grad = grads[i].G2.clone();
            optimizer.Step(rates[i]);
        }
        var reference = PyTorchReference.Call("lamb", inputs, new { rates, betas = new[] { 0.9, 0.999 }, eps = 1e-6, weight_decay = 0.02, b_scale = 0.5, max_grad_norm = 1.0 });
        TensorAssert.CloseRelativeToMax(reference["w"], w, 1e-5, "weights after 3 LAMB steps");
        TensorAssert.CloseRelativeToMax(reference["b"], b, 1e-5, "biases after 3 LAMB steps");
    }

    [Fact]
    public void ADecayedParametersFirstStepHasTheLengthOfLearningRateTimesItsNorm()
    {
        // The trust ratio makes ‖Δp‖ = lr·‖p‖ whatever the gradient's scale; a parameter without decay is not adapted,
        // and its first step is lr·sign(g) per element (Adam's first step, m̂/√v̂ = ±1, up to ε).
        using var w = tensor(new[] { 3f, 4f }).requires_grad_(true);               // ‖w‖ = 5
        using var b = tensor(new[] { 1f, -1f }).requires_grad_(true);
        var groups = new[] { new ParameterGroup("decay", new[] { ("w", (Tensor)w) }, 0.02, 1.0), new ParameterGroup("no_decay", new[] { ("b", (Tensor)b) }, 0.0, 1.0) };
        using var optimizer = new Lamb(groups, maxGradNorm: null);
        w.grad = tensor(new[] { 1e-3f, -2e-3f });
        b.grad = tensor(new[] { 0.5f, -0.25f });
        using var before = w.detach().clone();
        optimizer.Step(0.1);
        using var delta = w.detach() - before;
        Assert.Equal(0.5, delta.norm().item<float>(), 4);
        var bias = b.detach().data<float>().ToArray();
        Assert.Equal(0.9, bias[0], 4);
        Assert.Equal(-0.9, bias[1], 4);
    }
}
