using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Folk.Lab.Models;
using Folk.Lab.Training;
using Folk.Lab.Training.Checkpoints;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation;

/// <summary>Which backbone of a pre-training run an evaluation reads.</summary>
public enum EncoderPart
{
    /// <summary>The one the run exports (its method's choice: the encoder for MFM and the restoration baselines, FOLK's
    /// configured export).</summary>
    Exported,

    /// <summary>FOLK's student.</summary>
    Student,

    /// <summary>FOLK's teacher.</summary>
    Teacher,
}

/// <summary>
/// A finished (or interrupted) pre-training run folder seen from downstream: what it trained (config.json's
/// "experiment"), its newest valid checkpoint, and the encoder weights in it under the reference's names.
/// </summary>
/// <remarks>
/// Loading follows MFM's fine-tuning code (main_finetune.py <c>load_pretrained</c>): only the encoder's keys are kept,
/// with their prefix stripped, and the ViT's pre-training final <c>norm</c> is dropped (the fine-tuning model pools
/// into a fresh <c>fc_norm</c>); the head stays fresh. Unlike the reference's <c>strict=False</c>, every other key must
/// fit exactly: a silently half-loaded backbone would pass for a pre-trained one.
/// </remarks>
public sealed class PretrainedRun : IPretrainedEncoder
{
    /// <summary>The run folder.</summary>
    public string Folder { get; }

    /// <inheritdoc/>
    public string Location => Folder;

    /// <summary>The method that trained it ("mfm", "folk", "sr", …).</summary>
    public string Method { get; }

    /// <summary>The architecture ("vit-t", …).</summary>
    public string Model { get; }

    /// <summary>Input side in pixels.</summary>
    public int ImageSize { get; }

    /// <summary>ViT patch side (null: the model's default).</summary>
    public int? PatchSize { get; }

    /// <summary>ViT blocks (null: the model's default).</summary>
    public int? Depth { get; }

    /// <summary>config.json's "experiment" object.</summary>
    public JsonObject Experiment { get; }

    /// <summary>The newest checkpoint that loads.</summary>
    public string Checkpoint { get; }

    PretrainedRun(string folder, JsonObject experiment, string checkpoint)
    {
        Folder = folder;
        Experiment = experiment;
        Checkpoint = checkpoint;
        string config = Path.Combine(folder, "config.json");
        string Text(string key) => experiment[key]?.GetValue<string>()
            ?? throw new InvalidDataException($"{config}: \"experiment.{key}\" is missing; this run was not written by folk-lab pretrain.");
        Method = Text("Method");
        Model = Text("Model");
        ImageSize = experiment["ImageSize"]?.GetValue<int>() ?? throw new InvalidDataException($"{config}: \"experiment.ImageSize\" is missing.");
        PatchSize = experiment["PatchSize"]?.GetValue<int?>();
        Depth = experiment["Depth"]?.GetValue<int?>();
    }

    /// <summary>Opens <paramref name="folder"/>: reads its config.json and finds its newest valid checkpoint.</summary>
    /// <exception cref="FileNotFoundException">No config.json, or no checkpoint that loads.</exception>
    public static PretrainedRun Open(string folder)
    {
        var experiment = RunFolderFiles.ReadExperiment(folder,
            $"{folder} is not a pre-training run folder: it has no config.json (give the --out folder of folk-lab pretrain, or 'random').",
            "this run was not written by folk-lab pretrain.");
        var config = Path.Combine(folder, "config.json");
        if (experiment["protocol"] is { } protocol)
            throw new InvalidDataException($"{folder} is a {protocol} run, not a pre-training run (config.json \"experiment.protocol\"); give the --out folder of folk-lab pretrain, or 'random'.");
        if (experiment["Method"] is null)
            throw new InvalidDataException($"{config}: \"experiment.Method\" is missing; this run was not written by folk-lab pretrain.");
        return new PretrainedRun(folder, experiment, RunFolderFiles.NewestCheckpoint(folder, "the run has not reached its first one yet."));
    }

    /// <summary>The checkpoint file's SHA-256, lower-case hex.</summary>
    public string Sha256() => RunFolderFiles.Sha256(Checkpoint);

    /// <summary>The prefix of <paramref name="part"/>'s keys in the checkpoint (the teacher for
    /// <see cref="EncoderPart.Exported"/> of a two-network run), and the part's name (null for a single-encoder method).</summary>
    public (string Prefix, string? Part) Prefix(IReadOnlyCollection<string> keys, EncoderPart part)
    {
        bool twoNetworks = keys.Any(k => k.StartsWith("teacher.encoder.", StringComparison.Ordinal));
        if (!twoNetworks)
        {
            if (part != EncoderPart.Exported)
                throw new ArgumentException($"{Checkpoint}: a {Method} run has one encoder; --part {part.ToString().ToLowerInvariant()} applies to FOLK runs only.", nameof(part));
            return ("encoder.", null);
        }
        return part == EncoderPart.Teacher ? ("teacher.encoder.", "teacher") : ("student.encoder.", "student");
    }

    /// <summary>
    /// FOLK's export as the run decided it: "Export" 0 (teacher) or 1 (student) as configured; 2 (Auto, the default)
    /// resolved as <see cref="Methods.Folk.ExportedBranch"/> resolves it, from the teacher's remaining share of its
    /// initial weights after the optimiser steps in the checkpoint's schedule position.
    /// </summary>
    public EncoderPart ExportedPart(IReadOnlyDictionary<string, Tensor> model)
    {
        var folk = Experiment["Folk"] as JsonObject ?? Experiment;
        switch (folk["Export"]?.ToString())
        {
            case "0" or "Teacher": return EncoderPart.Teacher;
            case "1" or "Student": return EncoderPart.Student;
        }
        if (!model.TryGetValue("schedule", out var schedule))
            throw new InvalidDataException($"{Checkpoint}: a FOLK run that exports by its length (Export Auto) must hold its schedule position ('schedule').");
        var position = schedule.data<long>().ToArray();
        var config = new Methods.FolkConfig
        {
            TeacherMomentum = folk["TeacherMomentum"]?.GetValue<double>() ?? new Methods.FolkConfig().TeacherMomentum,
            TeacherMomentumEnd = folk["TeacherMomentumEnd"]?.GetValue<double>() ?? new Methods.FolkConfig().TeacherMomentumEnd,
        };
        double threshold = folk["AutoExportInitialShare"]?.GetValue<double>() ?? config.AutoExportInitialShare;
        return Methods.Folk.InitialShare(config, position[0], position[1]) <= threshold ? EncoderPart.Teacher : EncoderPart.Student;
    }

    /// <summary>
    /// Loads the encoder weights of <paramref name="part"/> into <paramref name="model"/> (a pre-training encoder or
    /// its fine-tuning form of the same architecture), under the rules in the remarks; returns where they came from.
    /// </summary>
    public EncoderSource LoadInto(Encoder model, EncoderPart part = EncoderPart.Exported)
    {
        using var checkpoint = Training.Checkpoints.Checkpoint.Load(Checkpoint);
        if (part == EncoderPart.Exported && checkpoint.Model.Keys.Any(k => k.StartsWith("teacher.encoder.", StringComparison.Ordinal)))
            part = ExportedPart(checkpoint.Model);
        var (prefix, partName) = Prefix(checkpoint.Model.Keys, part);
        var weights = checkpoint.Model.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[prefix.Length..], p => p.Value);
        if (EncoderLoadRules.DropsFinalNorm(model))
            foreach (var key in weights.Keys.Where(EncoderLoadRules.IsFinalNorm).ToList())
                weights.Remove(key);                                                     // the reference discards the final norm
        StateDicts.CopyInto(model, weights, $"{Checkpoint} ({prefix}*)", EncoderLoadRules.IsClassifier);
        return new EncoderSource(Folder, Checkpoint, Sha256(), Method, Model, partName);
    }
}
