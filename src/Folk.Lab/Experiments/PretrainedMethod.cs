using System.Text.Json.Nodes;
using Folk.Lab.Evaluation;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Training;

namespace Folk.Lab.Experiments;

/// <summary>
/// A pre-training run's whole method read back from its folder — the encoder with its heads (MFM's decoder, FOLK's
/// student, teacher, projection heads and centre) — for what needs more than the encoder: the method's own loss on
/// other images (<see cref="Evaluation.Robustness.DegradationLoss"/>), its reconstructions, its teacher. The method is
/// rebuilt from <see cref="MethodRegistry.Default"/>'s settings for the run's method, with the settings
/// <c>folk-lab pretrain</c> takes as options read back from config.json (FOLK's prototypes, local crops and λ), and
/// loaded with the newest checkpoint.
/// </summary>
/// <param name="Run">The run folder as downstream protocols see it.</param>
/// <param name="Config">The method's settings.</param>
/// <param name="Method">The method with the checkpoint's weights, on the CPU, in training mode.</param>
/// <param name="Epochs">The run's length in epochs (FOLK's schedules depend on it).</param>
public sealed record PretrainedMethod(PretrainedRun Run, MethodConfig Config, IPretrainingMethod Method, int Epochs)
{
    /// <summary>Opens <paramref name="folder"/> (a <c>folk-lab pretrain</c> run, or one of <see cref="RunCache"/>).</summary>
    /// <exception cref="InvalidDataException">The run was trained with settings other than its method's registered
    /// defaults and those options (the rebuilt method would not be the one trained).</exception>
    public static PretrainedMethod Load(string folder)
    {
        var run = PretrainedRun.Open(folder);
        var config = MethodRegistry.Default.For(run.Method, run.Model);
        var saved = run.Experiment;
        if (config is FolkConfig folk && saved["Folk"] is JsonObject recorded)
            config = folk with
            {
                Head = folk.Head with { OutputDim = recorded["Head"]?["OutputDim"]?.GetValue<int>() ?? folk.Head.OutputDim },
                Views = folk.Views with { LocalCrops = recorded["Views"]?["LocalCrops"]?.GetValue<int>() ?? folk.Views.LocalCrops },
                DistillationWeight = recorded["DistillationWeight"]?.GetValue<double>() ?? folk.DistillationWeight,
            };
        var rebuilt = config.Describe(run.ImageSize);
        var differing = rebuilt.Where(kv => !JsonNode.DeepEquals(kv.Value, saved[kv.Key])).Select(kv => kv.Key).ToArray();
        if (differing.Length > 0)
            throw new InvalidDataException($"{run.Folder} was pre-trained with settings other than {run.Method}'s defaults ({string.Join(", ", differing)}): " +
                                           "rebuild such a run with PretrainingRun.Assemble and its own recipe.");
        var trainer = JsonNode.Parse(File.ReadAllText(Path.Combine(run.Folder, "config.json")))?["trainer"];
        int epochs = trainer?["Epochs"]?.GetValue<int>() ?? 1;
        var method = config.Build(new MethodContext(() => ModelCatalog.Create(run.Model, run.ImageSize, run.PatchSize, depth: run.Depth), run.ImageSize, epochs));
        using var checkpoint = Training.Checkpoints.Checkpoint.Load(run.Checkpoint);
        StateDicts.CopyInto(method.Checkpointed, checkpoint.Model, run.Checkpoint);
        return new PretrainedMethod(run, config, method, epochs);
    }
}
