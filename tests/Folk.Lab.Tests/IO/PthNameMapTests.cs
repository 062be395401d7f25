using Folk.Lab.IO;
using Folk.Lab.IO.Pth;
using Folk.Lab.Models;
using Folk.Lab.Tests.Cli;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.IO;

/// <summary>State dicts of the official MFM code, torchvision's ResNet-50 and timm's ViT renamed onto Folk.Lab's
/// encoders: every name and shape matches, and what is dropped or missing is listed.</summary>
public sealed class PthNameMapTests : IDisposable
{
    readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    [PyTorchFact]
    public void AnMfmCheckpointMapsOntoTheEncoderAndDropsTheDecoder()
    {
        var folder = _temp.New("folk-lab-map-");
        PyTorchReference.Call("pth/mfm_vit", new Dictionary<string, Tensor>(), new { folder, image_size = 64 });
        var path = Path.Combine(folder, "mfm.pth");

        var r = CliRunner.Run("weights", "map", path, "--model", "vit-t", "--image-size", "64");
        Assert.True(r.ExitCode == 0, r.Out + r.Error);
        Assert.Contains("(Mfm) onto vit-t: every name matches", r.Out);
        Assert.Contains("dropped: decoder.0.weight: MFM's prediction head", r.Out);
        Assert.Contains("dropped: decoder.0.bias: MFM's prediction head", r.Out);
        Assert.Equal(new[] { "skipped: optimizer", "skipped: epoch" }, r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // The fine-tuning form: the reference discards the final norm and starts fc_norm and the head fresh.
        r = CliRunner.Run("weights", "map", path, "--model", "vit-t", "--image-size", "64", "--classes", "10");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("missing: fc_norm.weight", r.Out);
        Assert.Contains("missing: head.weight", r.Out);
        Assert.Contains("unexpected: norm.weight", r.Out);

        // Saved at 64, built at 32: pos_embed moves to the smaller grid as MFM's fine-tuning load moves it.
        r = CliRunner.Run("weights", "map", path, "--model", "vit-t", "--image-size", "32");
        Assert.True(r.ExitCode == 0, r.Out + r.Error);
        Assert.Contains("resized: pos_embed: 4×4 → 2×2 patch grid (bicubic)", r.Out);
        // a patch size that changes the embedding's shape cannot be resized: named, not loaded
        r = CliRunner.Run("weights", "map", path, "--model", "vit-t", "--image-size", "64", "--patch-size", "8");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("mismatched: patch_embed.proj.weight: [192×3×16×16] in the file, [192×3×8×8] in the model", r.Out);

        var checkpoint = Pth.Read(path);
        var mapping = StateDictMap.Apply(checkpoint.Tensors, StateDictLayout.Mfm);
        Assert.Equal(checkpoint.Tensors["encoder.blocks.3.attn.qkv.weight"].data<float>().ToArray(), mapping.Tensors["blocks.3.attn.qkv.weight"].data<float>().ToArray());
        foreach (var t in mapping.Tensors.Values.Concat(checkpoint.Tensors.Values)) t.Dispose();
    }

    [PyTorchFact]
    public void TorchvisionResNet50MapsOntoTheClassifier()
    {
        var folder = _temp.New("folk-lab-map-");
        PyTorchReference.Call("pth/torchvision_resnet50", new Dictionary<string, Tensor>(), new { folder });
        var r = CliRunner.Run("weights", "map", Path.Combine(folder, "resnet50.pth"), "--model", "resnet50", "--classes", "1000");
        Assert.True(r.ExitCode == 0, r.Out + r.Error);
        Assert.Contains("(Torchvision) onto resnet50: every name matches", r.Out);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void TimmQkvBiasSplitsIntoQAndVBiases(double kBias)
    {
        using var encoder = ModelCatalog.Create("vit-t", 32, patchSize: 8);
        var folk = encoder.state_dict();
        var timm = new Dictionary<string, Tensor>();
        foreach (var (key, t) in folk)
        {
            if (key.EndsWith("attn.v_bias", StringComparison.Ordinal)) continue;
            if (key.EndsWith("attn.q_bias", StringComparison.Ordinal))
            {
                var prefix = key[..^"q_bias".Length];
                timm[prefix + "qkv.bias"] = cat(new[] { t.detach() + 1, full(t.shape, kBias), folk[prefix + "v_bias"].detach() + 2 });
            }
            else timm[key] = t.detach().alias();
        }
        Assert.Equal(StateDictLayout.TimmVit, StateDictMap.Detect(timm.Keys));
        var mapping = StateDictMap.Apply(timm, StateDictLayout.TimmVit);
        var comparison = StateDictMap.Compare(folk.ToDictionary(e => e.Key, e => e.Value.shape), mapping.Tensors);
        Assert.True(comparison.Exact, string.Join(", ", comparison.Missing.Concat(comparison.Unexpected).Concat(comparison.Mismatched)));
        using var q = folk["blocks.5.attn.q_bias"].detach() + 1;
        using var v = folk["blocks.5.attn.v_bias"].detach() + 2;
        Assert.Equal(q.data<float>().ToArray(), mapping.Tensors["blocks.5.attn.q_bias"].data<float>().ToArray());
        Assert.Equal(v.data<float>().ToArray(), mapping.Tensors["blocks.5.attn.v_bias"].data<float>().ToArray());
        if (kBias == 0) Assert.Empty(mapping.Dropped);
        else
        {
            Assert.Equal(12, mapping.Dropped.Count);
            Assert.Contains("blocks.0.attn.qkv.bias[192:384]: the k bias (largest |k| 0.5), which Folk.Lab fixes at zero", mapping.Dropped);
        }

        // from the names and shapes alone, the same names and shapes; the k third is named whatever its values
        var (shapes, dropped) = StateDictMap.ApplyToShapes(timm.ToDictionary(e => e.Key, e => e.Value.shape), StateDictLayout.TimmVit);
        Assert.Equal(mapping.Tensors.ToDictionary(e => e.Key, e => e.Value.shape).OrderBy(e => e.Key), shapes.OrderBy(e => e.Key));
        Assert.Equal(12, dropped.Count);
        Assert.Contains("blocks.0.attn.qkv.bias[192:384]: the k bias, which Folk.Lab fixes at zero", dropped);
        foreach (var t in mapping.Tensors.Values.Concat(timm.Values)) t.Dispose();
    }
}
