using Folk.Lab.Evaluation;
using Folk.Lab.Models;
using Folk.Lab.Tests.Support;
using Folk.Lab.Training.Checkpoints;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Evaluation;

public class PretrainedRunTests : IDisposable
{
    readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    static string Fixture(string method) => Path.Combine(RepositoryRoot.Path, "tests", "Folk.Lab.Tests", "Fixtures", "runs-v0", method);

    [Fact]
    public void AnMfmRunLoadsIntoTheFineTuningFormUnderTheReferenceRules()
    {
        var run = PretrainedRun.Open(Fixture("mfm"));
        Assert.Equal(("mfm", "vit-t", 16, 8, 1), (run.Method, run.Model, run.ImageSize, run.PatchSize, run.Depth));
        using var classifier = ModelCatalog.CreateClassifier(run.Model, run.ImageSize, classes: 10, run.PatchSize, depth: run.Depth);
        var freshHead = classifier.state_dict()["head.weight"].clone();
        var source = run.LoadInto(classifier);

        using var checkpoint = Checkpoint.Load(run.Checkpoint);
        var loaded = classifier.state_dict();
        // every encoder tensor but the final norm is the checkpoint's; fc_norm and the head stay fresh
        foreach (var (key, value) in checkpoint.Model.Where(p => p.Key.StartsWith("encoder.", StringComparison.Ordinal) && !p.Key.StartsWith("encoder.norm.", StringComparison.Ordinal)))
            Assert.True(loaded[key["encoder.".Length..]].eq(value).all().item<bool>(), key);
        Assert.True(loaded["head.weight"].eq(freshHead).all().item<bool>());
        Assert.True(loaded["fc_norm.weight"].eq(1).all().item<bool>());
        Assert.DoesNotContain(loaded.Keys, k => k.StartsWith("norm.", StringComparison.Ordinal));

        Assert.Equal(("mfm", "vit-t", null), (source.Method, source.Model, source.Part));
        Assert.Equal(run.Checkpoint, source.Checkpoint);
        Assert.Matches("^[0-9a-f]{64}$", source.Sha256!);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(run.Checkpoint))), source.Sha256);
    }

    [Fact]
    public void AFolkRunGivesItsTeacherByDefaultAndEitherPartOnRequest()
    {
        var run = PretrainedRun.Open(Fixture("folk"));
        using var checkpoint = Checkpoint.Load(run.Checkpoint);
        foreach (var (part, prefix) in new[] { (EncoderPart.Exported, "teacher"), (EncoderPart.Teacher, "teacher"), (EncoderPart.Student, "student") })
        {
            using var encoder = ModelCatalog.Create(run.Model, run.ImageSize, run.PatchSize, depth: run.Depth);
            var source = run.LoadInto(encoder, part);
            Assert.Equal(prefix, source.Part);
            Assert.True(encoder.state_dict()["blocks.0.attn.qkv.weight"].eq(checkpoint.Model[$"{prefix}.encoder.blocks.0.attn.qkv.weight"]).all().item<bool>());
            Assert.True(encoder.state_dict()["norm.weight"].eq(checkpoint.Model[$"{prefix}.encoder.norm.weight"]).all().item<bool>());  // the pre-training form keeps its norm
        }
        // after four steps the student has moved away from the teacher: the two parts really differ
        Assert.False(checkpoint.Model["student.encoder.blocks.0.attn.qkv.weight"].eq(checkpoint.Model["teacher.encoder.blocks.0.attn.qkv.weight"]).all().item<bool>());
        using var mfm = ModelCatalog.Create("vit-t", 16, 8, depth: 1);
        Assert.Throws<ArgumentException>(() => PretrainedRun.Open(Fixture("mfm")).LoadInto(mfm, EncoderPart.Student));
    }

    [Fact]
    public void AFolkRunThatExportsByItsLengthGivesItsStudentAfterFourSteps()
    {
        // Export Auto: after 4 of 8 optimiser steps the teacher still holds ∏ m_t ≈ 0.996⁴ ≈ 0.98 of its initialisation,
        // far above the 1 % at which it is exported, so the exported backbone is the student
        var folder = _temp.New("folk-auto-export-");
        Directory.CreateDirectory(Path.Combine(folder, "checkpoints"));
        var config = File.ReadAllText(Path.Combine(Fixture("folk"), "config.json")).Replace("\"Export\": 0", "\"Export\": 2");
        Assert.Contains("\"Export\": 2", config);
        File.WriteAllText(Path.Combine(folder, "config.json"), config);
        File.Copy(Path.Combine(Fixture("folk"), "checkpoints", "checkpoint-00000004.safetensors"), Path.Combine(folder, "checkpoints", "checkpoint-00000004.safetensors"));
        var run = PretrainedRun.Open(folder);
        using var encoder = ModelCatalog.Create(run.Model, run.ImageSize, run.PatchSize, depth: run.Depth);
        Assert.Equal("student", run.LoadInto(encoder).Part);
        Assert.Equal("teacher", run.LoadInto(encoder, EncoderPart.Teacher).Part);
        Assert.InRange(Folk.Lab.Methods.Folk.InitialShare(new Folk.Lab.Methods.FolkConfig(), 4, 8), 0.98, 0.99);
    }

    [Fact]
    public void AMismatchedArchitectureOrAnEmptyFolderIsAClearError()
    {
        var run = PretrainedRun.Open(Fixture("mfm"));
        using var wider = ModelCatalog.Create("vit-s", 16, 8, depth: 1);
        var e = Assert.Throws<InvalidDataException>(() => run.LoadInto(wider));
        Assert.Contains("checkpoint-00000004", e.Message);
        using var deeper = ModelCatalog.Create("vit-t", 16, 8, depth: 2);
        Assert.Contains("missing: blocks.1", Assert.Throws<InvalidDataException>(() => run.LoadInto(deeper)).Message);

        var empty = _temp.New("folk-empty-run-");
        Assert.Contains("no config.json", Assert.Throws<FileNotFoundException>(() => PretrainedRun.Open(empty)).Message);
        File.Copy(Path.Combine(Fixture("mfm"), "config.json"), Path.Combine(empty, "config.json"));
        Assert.Contains("no checkpoint", Assert.Throws<FileNotFoundException>(() => PretrainedRun.Open(empty)).Message);
    }
}
