using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Data;
using Folk.Lab.Models.Segmentation;
using Folk.Lab.Training;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation.Segmentation;

/// <summary>
/// A segmenter that <see cref="SemanticSegmentation.Run"/> (<c>folk-lab segment</c>) trained, read back from its run
/// folder to look at its predictions: the recipe from config.json (architecture, heads, test pipeline), the weights
/// from the newest checkpoint. Its predictions are the ones the run scored (<see cref="SegmentationEvaluation"/>).
/// </summary>
public sealed class TrainedSegmenter : IDisposable
{
    static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    /// <summary>The run folder.</summary>
    public string Folder { get; }

    /// <summary>UperNet on its ViT, in evaluation mode, on the CPU (move it with <c>Model.to(device)</c>).</summary>
    public UperNet Model { get; }

    /// <summary>The recipe the run trained with, as config.json records it (the class count in its heads).</summary>
    public SegmentationRecipe Recipe { get; }

    /// <summary>Number of pixel classes.</summary>
    public int Classes => Recipe.Heads.Classes;

    /// <summary>The encoder the segmentation started from, as the run recorded it.</summary>
    public EncoderSource Encoder { get; }

    /// <summary>The checkpoint read.</summary>
    public string Checkpoint { get; }

    TrainedSegmenter(string folder, UperNet model, SegmentationRecipe recipe, EncoderSource encoder, string checkpoint)
    {
        Folder = folder;
        Model = model;
        Recipe = recipe;
        Encoder = encoder;
        Checkpoint = checkpoint;
    }

    /// <summary>Opens a segmentation run folder (the <c>--out</c> of <c>folk-lab segment</c>).</summary>
    /// <exception cref="FileNotFoundException">No config.json or no checkpoint.</exception>
    /// <exception cref="InvalidDataException">Not a segmentation run, or its recipe is missing.</exception>
    public static TrainedSegmenter Open(string folder)
    {
        var configPath = Path.Combine(folder, "config.json");
        var experiment = RunFolderFiles.ReadExperiment(folder, "segmentation", "segmentation", "folk-lab segment");
        var recipe = (experiment["recipe"] as JsonObject)?.Deserialize<SegmentationRecipe>(Json)
            ?? throw new InvalidDataException($"{configPath}: \"experiment.recipe\" is missing.");
        var encoder = experiment["encoder"]?.Deserialize<EncoderSource>()
            ?? throw new InvalidDataException($"{configPath}: \"experiment.encoder\" is missing.");

        var newest = RunFolderFiles.NewestCheckpoint(folder, "the segmentation has not reached its first one.");
        using var checkpoint = Training.Checkpoints.Checkpoint.Load(newest);
        var model = SemanticSegmentation.Build(recipe, recipe.Heads.Classes);
        StateDicts.CopyInto(model, checkpoint.Model, newest);
        model.eval();
        return new TrainedSegmenter(folder, model, recipe, encoder, newest);
    }

    /// <summary>K×H×W float32 logits of one image (3×H×W in [0,1]) at its own size, on the CPU: the test pipeline of
    /// the recipe (<see cref="SegmentationEvaluation.Logits"/>).</summary>
    public Tensor Logits(Tensor image)
    {
        using var scope = NewDisposeScope();
        var device = Model.parameters().First().device;
        return SegmentationEvaluation.Logits(Model, image, Recipe.Augmentation, Recipe.Inference, device).cpu().MoveToOuterDisposeScope();
    }

    /// <summary>H×W int64 class map of one image (3×H×W in [0,1]): the arg-max of <see cref="Logits"/>.</summary>
    public Tensor Predict(Tensor image)
    {
        using var logits = Logits(image);
        return logits.argmax(0);
    }

    /// <summary>The score on <paramref name="data"/> (every sample with its class map), as the run computed it.</summary>
    public SegmentationScore Evaluate(IImageDataset data, int workers = 0) =>
        SegmentationEvaluation.Evaluate(Model, data, Classes, Recipe.Augmentation, Recipe.Inference, Model.parameters().First().device, workers);

    /// <inheritdoc/>
    public void Dispose() => Model.Dispose();
}
