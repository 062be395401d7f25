using System.Globalization;
using Folk.Lab.IO;
using static TorchSharp.torch;

namespace Folk.Lab.Training.Checkpoints;

/// <summary>Where a run stands: what has been done, and where in the data it continues.</summary>
/// <param name="Step">Iterations completed (the next iteration's index).</param>
/// <param name="Epoch">The epoch the next iteration belongs to.</param>
/// <param name="Batch">The position of the next batch in that epoch.</param>
/// <param name="OptimizerSteps">Optimiser updates taken (differs from Step with gradient accumulation).</param>
public sealed record TrainingPosition(long Step, int Epoch, int Batch, long OptimizerSteps);

/// <summary>
/// Everything needed to continue a run exactly: model (and any untrained state such as a teacher), optimiser
/// moments, position in the data, the RNG state and the run's configuration. Stored as one safetensors file with a
/// checksum (see <see cref="SafeTensors"/>).
/// </summary>
public sealed class Checkpoint : IDisposable
{
    const string Format = "folk-lab-checkpoint/1";

    /// <summary>The model's state_dict (parameters and buffers).</summary>
    public required Dictionary<string, Tensor> Model { get; init; }

    /// <summary>The optimiser's state (<see cref="Optim.IOptimizer.StateDict"/>).</summary>
    public required Dictionary<string, Tensor> Optimizer { get; init; }

    /// <summary>Where the run continues.</summary>
    public required TrainingPosition Position { get; init; }

    /// <summary>torch's global RNG state.</summary>
    public required Tensor RngState { get; init; }

    /// <summary>The run's configuration as JSON, to check that a resume continues the same run.</summary>
    public required string ConfigJson { get; init; }

    /// <summary>Writes the checkpoint to <paramref name="path"/> atomically.</summary>
    public void Save(string path)
    {
        var tensors = new Dictionary<string, Tensor> { ["rng.torch"] = RngState };
        foreach (var (k, v) in Model) tensors["model." + k] = v;
        foreach (var (k, v) in Optimizer) tensors["optimizer." + k] = v;
        SafeTensors.Write(path, tensors, new Dictionary<string, string>
        {
            ["format"] = Format,
            ["step"] = Position.Step.ToString(CultureInfo.InvariantCulture),
            ["epoch"] = Position.Epoch.ToString(CultureInfo.InvariantCulture),
            ["batch"] = Position.Batch.ToString(CultureInfo.InvariantCulture),
            ["optimizer_steps"] = Position.OptimizerSteps.ToString(CultureInfo.InvariantCulture),
            ["config"] = ConfigJson,
        });
    }

    /// <summary>Reads a checkpoint; throws <see cref="InvalidDataException"/> naming the file if it is not a whole one.</summary>
    public static Checkpoint Load(string path)
    {
        var (tensors, meta) = SafeTensors.Read(path);
        if (!meta.TryGetValue("format", out var format) || format != Format)
            throw new InvalidDataException($"{path}: not a Folk.Lab checkpoint (format '{format ?? "missing"}').");
        long Field(string key) => meta.TryGetValue(key, out var v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n : throw new InvalidDataException($"{path}: checkpoint metadata lacks '{key}'.");
        return new Checkpoint
        {
            Model = tensors.Where(t => t.Key.StartsWith("model.", StringComparison.Ordinal)).ToDictionary(t => t.Key[6..], t => t.Value),
            Optimizer = tensors.Where(t => t.Key.StartsWith("optimizer.", StringComparison.Ordinal)).ToDictionary(t => t.Key[10..], t => t.Value),
            RngState = tensors.TryGetValue("rng.torch", out var rng) ? rng : throw new InvalidDataException($"{path}: no RNG state."),
            Position = new TrainingPosition(Field("step"), (int)Field("epoch"), (int)Field("batch"), Field("optimizer_steps")),
            ConfigJson = meta.GetValueOrDefault("config", "{}"),
        };
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var t in Model.Values.Concat(Optimizer.Values)) t.Dispose();
        RngState.Dispose();
    }
}
