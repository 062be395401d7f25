using Folk.Lab.Evaluation;
using Folk.Lab.IO;
using Folk.Lab.IO.Pth;
using Folk.Lab.Models;
using Folk.Lab.Tests.Cli;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Evaluation;

/// <summary>
/// Weights saved by PyTorch in the official layouts (MFM's training checkpoint of a ViT and of a ResNet-50,
/// torchvision's ResNet-50) open as encoders: their architecture is read off the shapes, and Folk.Lab's forward pass
/// on them equals the reference's. The reference models are written from the official code (models_reference.py) and
/// torchvision, with weights and BatchNorm statistics moved off their initial values.
/// </summary>
public sealed class PretrainedWeightsTests : IDisposable
{
    readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    string OfficialVit(out Tensor features, Tensor images)
    {
        var folder = _temp.New("folk-lab-weights-");
        features = PyTorchReference.Call("pth/official_vit", new Dictionary<string, Tensor> { ["images"] = images },
            new { folder, image_size = 32, patch_size = 8, depth = 2 })["features"];
        return folder;
    }

    [PyTorchFact]
    public void AnOfficialMfmVitCheckpointGivesTheReferenceFeatures()
    {
        using var images = TestImages.Natural(2, 32);
        var folder = OfficialVit(out var expected, images);
        var weights = PretrainedWeights.Open(Path.Combine(folder, "mfm-weights.pth"));
        Assert.Equal(("vit-t", 32, 8, 2), (weights.Model, weights.ImageSize, weights.PatchSize, weights.Depth));
        Assert.Equal((StateDictLayout.Mfm, "mfm:mfm-weights.pth"), (weights.Layout, weights.Method));
        Assert.Contains(weights.LeftOut, l => l.StartsWith("decoder.0.weight: MFM's prediction head", StringComparison.Ordinal));

        using var encoder = ModelCatalog.Create(weights.Model, weights.ImageSize, weights.PatchSize, depth: weights.Depth);
        var source = weights.LoadInto(encoder);
        encoder.eval();
        using (no_grad())
        {
            using var features = encoder.FeatureMap(images);
            TensorAssert.CloseRelativeToMax(expected, features, 1e-4, "features of the official ViT's weights");
        }
        Assert.Equal(("mfm:mfm-weights.pth", "vit-t", null), (source.Method, source.Model, source.Part));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(weights.File))), source.Sha256);

        // the fine-tuning form: the final norm is dropped, fc_norm and the head start fresh, every block is the file's
        using var classifier = ModelCatalog.CreateClassifier(weights.Model, weights.ImageSize, 10, weights.PatchSize, depth: weights.Depth);
        weights.LoadInto(classifier);
        Assert.True(classifier.state_dict()["blocks.1.attn.q_bias"].allclose(encoder.state_dict()["blocks.1.attn.q_bias"], 0, 0));
        Assert.True(classifier.state_dict()["fc_norm.weight"].eq(1).all().item<bool>());
        Assert.Throws<ArgumentException>(() => weights.LoadInto(classifier, EncoderPart.Student));
    }

    [PyTorchFact]
    public void ACheckpointWithAPickledConfigIsRefusedUntilConvertedWithoutIt()
    {
        using var images = TestImages.Natural(1, 32);
        var folder = OfficialVit(out var expected, images);
        var checkpoint = Path.Combine(folder, "mfm-checkpoint.pth");
        var refused = Assert.Throws<UnsafePickleException>(() => PretrainedWeights.Open(checkpoint));
        Assert.Equal(("pth_reference.CfgNode", "config"), (refused.Global, refused.Entry));
        Assert.Contains("weights convert FILE --skip-objects", refused.Message);

        var converted = Path.Combine(folder, "mfm.safetensors");
        var r = CliRunner.Run("weights", "convert", checkpoint, "--skip-objects", "--to", "safetensors", "--out", converted);
        Assert.True(r.ExitCode == 0, r.Out + r.Error);
        Assert.Contains("skipped: config (holds pth_reference.CfgNode, not built)", r.Error);
        Assert.Contains("skipped: optimizer", r.Error);

        var weights = PretrainedWeights.Open(converted);
        Assert.Equal(("vit-t", StateDictLayout.Mfm), (weights.Model, weights.Layout));
        using var encoder = ModelCatalog.Create(weights.Model, weights.ImageSize, weights.PatchSize, depth: weights.Depth);
        weights.LoadInto(encoder);
        encoder.eval();
        using var noGrad = no_grad();
        using var features = encoder.FeatureMap(images);
        TensorAssert.CloseRelativeToMax(expected, features, 1e-4, "features after the conversion");
    }

    [PyTorchFact]
    public void MfmAndTorchvisionResNet50WeightsGiveTheReferenceFeatures()
    {
        var folder = _temp.New("folk-lab-weights-");
        using var images = TestImages.Natural(2, 64);
        var expected = PyTorchReference.Call("pth/official_resnet50", new Dictionary<string, Tensor> { ["images"] = images }, new { folder })["features"];
        foreach (var (file, layout) in new[] { ("mfm-resnet50.pth", StateDictLayout.Mfm), ("torchvision-resnet50.pth", StateDictLayout.Torchvision) })
        {
            var weights = (PretrainedWeights)IPretrainedEncoder.Open(Path.Combine(folder, file));
            Assert.Equal(("resnet50", 224, (int?)null, layout), (weights.Model, weights.ImageSize, weights.PatchSize, weights.Layout));
            using var encoder = ModelCatalog.Create(weights.Model, 64);
            weights.LoadInto(encoder);
            encoder.eval();
            using var noGrad = no_grad();
            using var features = encoder.FeatureMap(images);
            TensorAssert.CloseRelativeToMax(expected, features, 1e-4, $"ResNet-50 layer4 from {file}");
        }
        Assert.Contains("fc.weight: a classifier head (fine-tuning starts a fresh one)", ((PretrainedWeights)IPretrainedEncoder.Open(Path.Combine(folder, "torchvision-resnet50.pth"))).LeftOut);
    }

    [PyTorchFact]
    public void PositionEmbeddingsMoveToAnotherGridAsMfmResizesThem()
    {
        manual_seed(9);
        using var pos = randn(1, 1 + 14 * 14, 24);
        var expected = PyTorchReference.Call("pth/interpolate_pos_embed", new Dictionary<string, Tensor> { ["pos_embed"] = pos }, new { grid = 4 })["pos_embed"];
        using var resized = PositionEmbedding.Resize(pos, 4, 4);
        TensorAssert.CloseRelativeToMax(expected, resized, 1e-6, "pos_embed 14×14 → 4×4");
        Assert.True(resized[0, 0].eq(pos[0, 0]).all().item<bool>());                                   // the class token's entry is kept

        var mapped = new Dictionary<string, Tensor> { ["pos_embed"] = pos.clone() };
        Assert.Equal("pos_embed: 14×14 → 4×4 patch grid (bicubic)", PositionEmbedding.Fit(mapped, new Dictionary<string, long[]> { ["pos_embed"] = new long[] { 1, 17, 24 } }));
        Assert.True(mapped["pos_embed"].eq(resized).all().item<bool>());
        Assert.Null(PositionEmbedding.Fit(mapped, new Dictionary<string, long[]> { ["pos_embed"] = new long[] { 1, 17, 24 } }));
        mapped["pos_embed"].Dispose();
    }

    [Theory]
    [InlineData("safetensors")]
    [InlineData("npz")]
    [InlineData("pth")]
    public void OpeningReadsNamesAndShapesAloneAndLoadingReadsTheWeights(string format)
    {
        // a ViT in MFM's checkpoint names, its decoder beside it
        using var saved = ModelCatalog.Create("vit-t", 32, patchSize: 8, depth: 2);
        using var decoder = ones(48, 192);
        var tensors = saved.state_dict().ToDictionary(e => "encoder." + e.Key, e => e.Value.detach());
        tensors["decoder.0.weight"] = decoder;
        var file = Path.Combine(_temp.New("folk-lab-open-"), $"mfm-vit.{format}");
        WeightFile.Write(file, tensors);

        var weights = PretrainedWeights.Open(file);
        Assert.Equal(("vit-t", 32, (int?)8, (int?)2, StateDictLayout.Mfm), (weights.Model, weights.ImageSize, weights.PatchSize, weights.Depth, weights.Layout));
        Assert.Equal(["decoder.0.weight: MFM's prediction head"], weights.LeftOut);
        using var loaded = ModelCatalog.Create(weights.Model, weights.ImageSize, weights.PatchSize, depth: weights.Depth);
        weights.LoadInto(loaded);
        Assert.True(loaded.state_dict()["blocks.1.mlp.fc2.weight"].allclose(saved.state_dict()["blocks.1.mlp.fc2.weight"], 0, 0));
        if (format != "safetensors") return;

        // the data's last byte damaged: opening, which reads the header alone, still succeeds; loading reads the data,
        // checks it against the checksum Folk.Lab writes, and refuses it
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0xFF;
        var damaged = Path.Combine(Path.GetDirectoryName(file)!, "damaged.safetensors");
        File.WriteAllBytes(damaged, bytes);
        var opened = PretrainedWeights.Open(damaged);
        Assert.Equal("vit-t", opened.Model);
        var refused = Assert.Throws<InvalidDataException>(() => opened.LoadInto(loaded));
        Assert.Contains($"{damaged}: checksum mismatch", refused.Message);
    }

    [Fact]
    public void ArchitectureIsReadOffTheShapesAndForeignOnesAreNamed()
    {
        using var vit = ModelCatalog.Create("vit-s", 48, patchSize: 16, depth: 3);
        var shapes = vit.state_dict().ToDictionary(e => e.Key, e => e.Value.shape);
        Assert.Equal(new StateDictArchitecture("vit-s", 48, 16, 3), StateDictArchitecture.Infer(shapes, "f.pth"));
        using var resnet = ModelCatalog.Create("resnet50", 64);
        Assert.Equal(new StateDictArchitecture("resnet50", 224, null, null), StateDictArchitecture.Infer(resnet.state_dict().ToDictionary(e => e.Key, e => e.Value.shape), "r.pth"));

        shapes["patch_embed.proj.weight"] = new long[] { 512, 3, 16, 16 };
        Assert.Contains("a ViT 512 wide", Assert.Throws<InvalidDataException>(() => StateDictArchitecture.Infer(shapes, "f.pth")).Message);
        var resnet18 = new Dictionary<string, long[]> { ["conv1.weight"] = new long[] { 64, 3, 7, 7 }, ["layer4.1.conv2.weight"] = new long[] { 512, 512, 3, 3 } };
        Assert.Contains("0-0-0-0 bottleneck blocks", Assert.Throws<InvalidDataException>(() => StateDictArchitecture.Infer(resnet18, "r18.pth")).Message);
        Assert.Contains("f.pth: no encoder found", Assert.Throws<InvalidDataException>(() => StateDictArchitecture.Infer(new Dictionary<string, long[]> { ["w"] = new long[] { 2 } }, "f.pth")).Message);
    }
}
