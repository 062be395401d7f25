using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Evaluation.Finetuning;
using Folk.Lab.Models;
using Folk.Lab.Training;
using Folk.Lab.Training.Checkpoints;

namespace Folk.Lab.Evaluation;

/// <summary>
/// A classifier that <c>folk-lab finetune</c> trained, read back from its run folder for evaluations that score a
/// finished classifier (robustness): the architecture and input size from config.json's recipe, the weights from the
/// newest checkpoint, the number of classes from the head.
/// </summary>
public sealed class FinetunedClassifier : IDisposable
{
    /// <summary>The run folder.</summary>
    public string Folder { get; }

    /// <summary>The classifier, in evaluation mode, on the CPU.</summary>
    public Encoder Model { get; }

    /// <summary>The architecture ("vit-t", …, "resnet50").</summary>
    public string Architecture { get; }

    /// <summary>The side it was trained at.</summary>
    public int ImageSize { get; }

    /// <summary>The side it is evaluated at (the recipe's evaluation size, else <see cref="ImageSize"/>).</summary>
    public int EvaluationSize { get; }

    /// <summary>The evaluation crop ratio of the recipe (resize to ⌊side / ratio⌋, centre crop).</summary>
    public double EvaluationCropRatio { get; }

    /// <summary>Number of classes of its head.</summary>
    public int Classes { get; }

    /// <summary>The encoder the fine-tuning started from (its run, method, checkpoint), as the fine-tuning recorded it.</summary>
    public EncoderSource Encoder { get; }

    /// <summary>The checkpoint read.</summary>
    public string Checkpoint { get; }

    FinetunedClassifier(string folder, Encoder model, string architecture, int imageSize, int evaluationSize, double cropRatio, int classes, EncoderSource encoder, string checkpoint)
    {
        Folder = folder;
        Model = model;
        Architecture = architecture;
        ImageSize = imageSize;
        EvaluationSize = evaluationSize;
        EvaluationCropRatio = cropRatio;
        Classes = classes;
        Encoder = encoder;
        Checkpoint = checkpoint;
    }

    /// <summary>Opens a fine-tuning run folder.</summary>
    /// <exception cref="FileNotFoundException">No config.json or no checkpoint.</exception>
    /// <exception cref="InvalidDataException">Not a fine-tuning run, or a field is missing.</exception>
    public static FinetunedClassifier Open(string folder)
    {
        var configPath = Path.Combine(folder, "config.json");
        var experiment = RunFolderFiles.ReadExperiment(folder, "finetune", "fine-tuning", "folk-lab finetune");
        var recipe = experiment["recipe"] as JsonObject ?? throw new InvalidDataException($"{configPath}: \"experiment.recipe\" is missing.");
        T Field<T>(string key) => recipe[key] is { } v ? v.GetValue<T>() : throw new InvalidDataException($"{configPath}: \"experiment.recipe.{key}\" is missing.");
        string architecture = Field<string>("Model");
        int imageSize = Field<int>("ImageSize");
        int? patch = recipe["PatchSize"]?.GetValue<int?>(), depth = recipe["Depth"]?.GetValue<int?>();
        int evaluationSize = recipe["EvaluationSize"]?.GetValue<int?>() ?? imageSize;
        double cropRatio = recipe["Augmentation"]?["EvalCropRatio"]?.GetValue<double>() ?? 1.0;
        var encoder = System.Text.Json.JsonSerializer.Deserialize<EncoderSource>(experiment["encoder"] ?? throw new InvalidDataException($"{configPath}: \"experiment.encoder\" is missing."))!;

        var newest = RunFolderFiles.NewestCheckpoint(folder, "the fine-tuning has not reached its first one.");
        using var checkpoint = Training.Checkpoints.Checkpoint.Load(newest);
        var head = checkpoint.Model.FirstOrDefault(p => p.Key is "head.weight" or "fc.weight");
        if (head.Value is null) throw new InvalidDataException($"{newest}: no classification head (head.weight or fc.weight).");
        int classes = (int)head.Value.shape[0];
        var model = ModelCatalog.CreateClassifier(architecture, imageSize, classes, patch, dropPath: 0, depth);
        StateDicts.CopyInto(model, checkpoint.Model, newest);
        model.eval();
        return new FinetunedClassifier(folder, model, architecture, imageSize, evaluationSize, cropRatio, classes, encoder, newest);
    }

    /// <summary>The evaluation geometry without normalisation: resize to ⌊side / ratio⌋, centre crop (images stay in
    /// [0,1], so a corruption can come before <see cref="Data.ImageNetNormalization"/>).</summary>
    public IImageTransform Geometry() =>
        new Compose(new Resize((int)(EvaluationSize / EvaluationCropRatio)), new CenterCrop(EvaluationSize));

    /// <summary>The checkpoint file's SHA-256, lower-case hex.</summary>
    public string Sha256() => RunFolderFiles.Sha256(Checkpoint);

    /// <inheritdoc/>
    public void Dispose() => Model.Dispose();
}
