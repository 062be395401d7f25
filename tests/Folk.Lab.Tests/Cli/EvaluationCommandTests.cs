using System.Text.Json.Nodes;
using Folk.Lab.Evaluation;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Cli;

[Collection(GlobalRngCollection.Name)]
public class EvaluationCommandTests : IDisposable
{
    readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    static string Fixture(string method) => Path.Combine(RepositoryRoot.Path, "tests", "Folk.Lab.Tests", "Fixtures", "runs-v0", method);

    [Fact]
    public void DescribeOptimizerPrintsOneLinePerParameterTensorUnderTheReferenceNames()
    {
        var r = CliRunner.Run("finetune", "--encoder", "random", "--model", "vit-t", "--depth", "2", "--describe-optimizer");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(4 + 2 * 13 + 4, lines.Count);
        Assert.All(lines, l => Assert.Equal(new[] { "name", "shape", "lr_scale", "weight_decay" }, l.Select(p => p.Key)));
        Assert.Equal("cls_token", (string)lines[0]["name"]!);
        Assert.Equal("head.weight", (string)lines[^2]["name"]!);
        // from scratch (random) the layer decay is 1: every scale is 1
        Assert.All(lines, l => Assert.Equal(1.0, (double)l["lr_scale"]!));
        // a pre-trained encoder gets the preset's 0.8 over its depth + 2 layer ids
        var pretrained = CliRunner.Run("finetune", "--encoder", Fixture("mfm"), "--describe-optimizer");
        var scales = pretrained.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (double)JsonNode.Parse(l)!["lr_scale"]!).Distinct().Order().ToArray();
        Assert.Equal(new[] { 0.64, 0.8, 1.0 }, scales.Select(s => Math.Round(s, 10)));
    }

    [Fact]
    public void TheResNet50PresetsDecayOnlyWeightsAndRsbA2IsRefusedForAViT()
    {
        var r = CliRunner.Run("finetune", "--encoder", "random", "--model", "resnet50", "--preset", "official", "--describe-optimizer");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(161, lines.Count);                                                   // timm resnet50: 53 convs + 53 BN pairs + fc
        var decayed = lines.Where(l => (double)l["weight_decay"]! > 0).ToList();
        Assert.Equal(54, decayed.Count);                                                  // the convolutions and fc.weight
        Assert.All(decayed, l => Assert.Equal(0.02, (double)l["weight_decay"]!, 12));    // RSB's 0.02
        Assert.Contains(lines, l => (string)l["name"]! == "fc.bias" && (double)l["weight_decay"]! == 0);

        var vit = CliRunner.Run("finetune", "--encoder", "random", "--model", "vit-t", "--preset", "rsb-a2", "--describe-optimizer");
        Assert.NotEqual(0, vit.ExitCode);
        Assert.Contains("rsb-a2", vit.Error);
    }

    [Fact]
    public void EvalWritesItsResultAndEndsWithTheHeadline()
    {
        var folder = _temp.New("folk-eval-");
        var r = CliRunner.Run("eval", "knn", "--encoder", "random", "--depth", "1", "--image-size", "16", "--label-fraction", "0.05", "--out", folder);
        Assert.True(r.ExitCode == 0, r.Error);
        var result = EvaluationResult.Read(folder);
        Assert.Equal(("knn", "k-NN 5 %", "random"), (result.Protocol, result.Setting, result.Encoder.Method));
        Assert.Equal(250, result.Metrics["train_images"]);
        Assert.EndsWith($"top-1 {result.Value:P2}", r.Out.TrimEnd());

        var episodes = _temp.New("folk-eval-");
        r = CliRunner.Run("eval", "fewshot", "--encoder", Fixture("folk"), "--part", "student", "--episodes", "20", "--out", episodes);
        Assert.True(r.ExitCode == 0, r.Error);
        var fewShot = EvaluationResult.Read(episodes);
        Assert.Equal(("fewshot", "5-way 5-shot", "folk", "student"), (fewShot.Protocol, fewShot.Setting, fewShot.Encoder.Method, fewShot.Encoder.Part));
        Assert.Contains("accuracy", r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    [Fact]
    public void AWeightsFileServesAsTheEncoderOfEveryVerb()
    {
        // A ViT-T (16², patch 4, one block) saved as the official MFM code saves its training model: encoder.* and decoder.*
        var folder = _temp.New("folk-eval-");
        var file = Path.Combine(folder, "mfm-vit.pth");
        TorchSharp.torch.manual_seed(11);
        using (var vit = Folk.Lab.Models.ModelCatalog.Create("vit-t", 16, patchSize: 4, depth: 1))
        {
            var state = vit.state_dict().ToDictionary(e => "encoder." + e.Key, e => e.Value);
            using var decoder = TorchSharp.torch.zeros(48, 192, 1, 1);
            state["decoder.0.weight"] = decoder;
            Folk.Lab.IO.Pth.Pth.Write(file, state);
        }

        var knn = CliRunner.Run("eval", "knn", "--encoder", file, "--label-fraction", "0.05", "--out", Path.Combine(folder, "knn"));
        Assert.True(knn.ExitCode == 0, knn.Error);
        var result = EvaluationResult.Read(Path.Combine(folder, "knn"));
        Assert.Equal(("mfm:mfm-vit.pth", "vit-t", file), (result.Encoder.Method, result.Encoder.Model, result.Encoder.Run));
        Assert.Equal(16, result.Config["ImageSize"]!.GetValue<int>());

        var optimizer = CliRunner.Run("finetune", "--encoder", file, "--describe-optimizer");
        Assert.True(optimizer.ExitCode == 0, optimizer.Error);
        Assert.Equal(4 + 13 + 4, optimizer.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);   // one block, read off the file

        var segment = CliRunner.Run("segment", "--encoder", file, "--iterations", "2", "--warmup-iterations", "1", "--batch-size", "4",
            "--synthetic-train", "8", "--synthetic-test", "2", "--threads", "2", "--out", Path.Combine(folder, "segment"));
        Assert.True(segment.ExitCode == 0, segment.Error);
        Assert.Equal("mfm:mfm-vit.pth", EvaluationResult.Read(Path.Combine(folder, "segment")).Encoder.Method);

        var missing = CliRunner.Run("eval", "knn", "--encoder", Path.Combine(folder, "none.pth"), "--out", Path.Combine(folder, "x"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("no such run folder or weights file", missing.Error + missing.Out);
    }

    [Fact]
    public void AFineTuningRunIsNotAnEncoderAndSaysWhy()
    {
        var folder = _temp.New("folk-eval-");
        File.WriteAllText(Path.Combine(folder, "config.json"), "{\"method\": \"finetune\", \"experiment\": {\"protocol\": \"finetune\"}}");
        var r = CliRunner.Run("eval", "knn", "--encoder", folder, "--out", Path.Combine(folder, "knn"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("is a finetune run, not a pre-training run", r.Error + r.Out);
        File.WriteAllText(Path.Combine(folder, "config.json"), "{\"method\": \"mfm\", \"experiment\": {\"Model\": \"vit-t\"}}");
        Assert.Contains("\"experiment.Method\" is missing", CliRunner.Run("eval", "knn", "--encoder", folder, "--out", Path.Combine(folder, "knn")).Error);
    }
}
