using TorchSharp;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Data;
using Folk.Lab.Methods;
using Folk.Lab.Training.Checkpoints;
using Folk.Lab.Training.Schedules;
using static TorchSharp.torch;

namespace Folk.Lab.Training;

/// <summary>How a call to <see cref="Trainer.Run"/> ended.</summary>
/// <param name="Steps">Iterations completed in the run (all sessions).</param>
/// <param name="Completed">True when the run reached its last iteration; false when it was cancelled.</param>
/// <param name="LastCheckpoint">The newest checkpoint written or resumed from.</param>
/// <param name="FinalLoss">The last iteration's loss, when one ran in this call.</param>
/// <param name="Skipped">Images left out as unreadable.</param>
/// <param name="Elapsed">Wall time of this call's training loop.</param>
/// <param name="GradientAveraging">Of which averaging gradients over the processes of a data-parallel job.</param>
public sealed record TrainingResult(long Steps, bool Completed, string? LastCheckpoint, double? FinalLoss, IReadOnlyList<SkippedImage> Skipped,
    TimeSpan Elapsed = default, TimeSpan GradientAveraging = default);

/// <summary>
/// The method-agnostic training loop: the per-iteration warm-up + cosine schedule, one
/// <see cref="OptimizationStep"/> per batch (AdamW with MFM's parameter groups, clipping, accumulation, bf16 on CUDA),
/// atomic checksummed checkpoints, exact resume, metrics and callbacks. It knows methods only through
/// <see cref="IPretrainingMethod"/>. Runs are usually assembled by the experiments layer, which builds the method, the
/// loader and the trainer from one recipe.
/// </summary>
/// <remarks>
/// Determinism: one seed, <see cref="TrainerConfig.Seed"/>, drives everything: the loader derives order and
/// augmentation from (seed, epoch, index), and every iteration reseeds torch's global RNG and the method's generator
/// from (seed, iteration). A resumed run therefore computes exactly the losses of an uninterrupted one (on the same
/// machine and thread count), with no RNG stream to restore; the global RNG state is still saved in every checkpoint.
/// <para>Data-parallel (a <see cref="Distributed.IProcessGroup"/> of P processes, each with a loader of its
/// <see cref="Data.ProcessShare"/>): every process trains on its block of each step's global batch, the gradients, terms
/// and batch statistics are averaged over the processes (<see cref="OptimizationStep"/>), and rank 0 alone writes
/// config.json, the metrics and the checkpoints and reports progress. Every process resumes from the same newest
/// checkpoint, and rank 0's weights and buffers are broadcast at the start, so that the processes start equal. A
/// resume with another number of processes is the same run when the global batch (P × per-process batch) is the same
/// — the steps, the data order and the randomness do not depend on P — and another run otherwise.</para>
/// </remarks>
public sealed class Trainer
{
    readonly IPretrainingMethod _method;
    readonly DataLoader _loader;
    readonly ITrainingCallbacks _callbacks;
    readonly object? _experiment;
    readonly IReadOnlyCollection<string> _exportSettings;

    /// <summary>The processes of the job (one unless data-parallel).</summary>
    public Distributed.IProcessGroup Group { get; }

    bool IsMain => Group.Rank == 0;

    /// <summary>The configuration in use.</summary>
    public TrainerConfig Config { get; }

    /// <summary>The run folder (config.json, metrics, checkpoints/).</summary>
    public string RunFolder { get; }

    /// <summary>The learning-rate schedule, per iteration (<see cref="TrainerConfig.Schedule"/>).</summary>
    public ILearningRateSchedule Schedule { get; }

    /// <summary>Iterations in the whole run.</summary>
    public long TotalSteps { get; }

    /// <summary>Epochs the run starts (the last one partly when <see cref="TrainerConfig.Iterations"/> is not a whole
    /// number of epochs).</summary>
    public int Epochs { get; }

    /// <summary>Where the method runs (resolved once, from <see cref="TrainerConfig.Device"/> unless given).</summary>
    public Device Device { get; }

    /// <summary>
    /// Creates a trainer; <paramref name="experiment"/> (serialisable) is recorded in config.json beside the trainer
    /// config. The loader must use the trainer's seed; the method must already be on <paramref name="device"/>.
    /// <paramref name="exportSettings"/> are paths in config.json (e.g. "experiment.Folk.Export") of settings that
    /// only choose what is exported: a run folder resumes when they differ.
    /// </summary>
    /// <remarks>A warm-up as long as the run or longer (<see cref="TrainerConfig.WarmupEpochs"/> × batches per epoch
    /// ≥ <see cref="TotalSteps"/>) is an error, not a silent cap: such a run never leaves the warm-up and peaks at a
    /// fraction of its learning rate (20 warm-up epochs in a 3-epoch run peak at 15 %), and capping it would train
    /// another recipe than the one written in config.json. The error names both lengths and the setting to change.</remarks>
    public Trainer(IPretrainingMethod method, DataLoader loader, TrainerConfig config, ITrainingCallbacks? callbacks = null, object? experiment = null, Device? device = null,
        IEnumerable<string>? exportSettings = null, Distributed.IProcessGroup? group = null)
    {
        _method = method;
        _loader = loader;
        Group = group ?? Distributed.SingleProcess.Instance;
        if (loader.Options.Share.Processes != Group.WorldSize || loader.Options.Share.Rank != Group.Rank)
            throw new ArgumentException(
                $"The loader loads share {loader.Options.Share.Rank} of {loader.Options.Share.Processes}, but this process is rank {Group.Rank} of {Group.WorldSize}: build the loader with Share = new ProcessShare({Group.Rank}, {Group.WorldSize}).", nameof(loader));
        _callbacks = IsMain ? callbacks ?? new SilentCallbacks() : new SilentCallbacks();
        _experiment = experiment;
        _exportSettings = exportSettings?.ToArray() ?? [];
        Config = config;
        RunFolder = config.RunFolder ?? throw new ArgumentException("TrainerConfig.RunFolder must name the run's folder.", nameof(config));
        Guard.Positive(config.Epochs, nameof(config.Epochs));
        Guard.Positive(config.AccumulationSteps, nameof(config.AccumulationSteps));
        if (loader.Options.Seed != config.Seed)
            throw new ArgumentException(
                $"The loader's seed ({loader.Options.Seed}) differs from TrainerConfig.Seed ({config.Seed}): one seed drives the data, the initialisation and the training; build the loader with Seed = {config.Seed}.", nameof(loader));
        Device = device ?? Runtime.TorchDevices.Resolve(config.Device);
        if (config.Iterations is { } iterations)
        {
            Guard.Positive(iterations, nameof(config.Iterations));
            TotalSteps = iterations;
        }
        else TotalSteps = (long)config.Epochs * loader.BatchesPerEpoch;
        Epochs = (int)((TotalSteps + loader.BatchesPerEpoch - 1) / loader.BatchesPerEpoch);
        Guard.NonNegative(config.WarmupEpochs, nameof(config.WarmupEpochs));
        long warmup = config.WarmupIterations ?? (long)Math.Round(config.WarmupEpochs * loader.BatchesPerEpoch);
        Guard.NonNegative(warmup, nameof(config.WarmupIterations));
        if (warmup > 0 && warmup >= TotalSteps)
            throw new ArgumentException(config.WarmupIterations is not null || config.Iterations is not null
                ? $"The warm-up is as long as the run or longer: {warmup:N0} iterations against {TotalSteps:N0} in the whole run, so the learning rate would never reach its peak. Shorten the warm-up or train for more iterations."
                : $"The warm-up is as long as the run or longer: {warmup:N0} iterations (TrainerConfig.WarmupEpochs = {config.WarmupEpochs:0.###} epochs of {loader.BatchesPerEpoch:N0}) " +
                  $"against {TotalSteps:N0} in the whole run ({config.Epochs} epochs), so the learning rate would never reach its peak. " +
                  $"Set --warmup-epochs (TrainerConfig.WarmupEpochs) below {config.Epochs}, e.g. {config.Epochs / 15.0:0.##} (MFM's 20 of 300 epochs), or train for more epochs.", nameof(config));
        int batch = config.GlobalBatch(loader.GlobalBatch);
        Schedule = config.Schedule == ScheduleKind.Poly
            ? WarmupPoly.ScaledForBatch(config.BaseLearningRate, config.MinLearningRate, config.WarmupRatio, batch, warmup, TotalSteps, config.PolyPower)
            : WarmupCosine.ScaledForBatch(config.BaseLearningRate, config.WarmupLearningRate, config.MinLearningRate, batch, warmup, TotalSteps);
    }

    /// <summary>The JSON recorded in config.json and in every checkpoint.</summary>
    /// <remarks><c>batch</c> is the step's global batch; a data-parallel run adds <c>processes</c> and
    /// <c>batch_per_process</c>, which may change on resume.</remarks>
    public string ConfigJson => Group.WorldSize == 1
        ? JsonSerializer.Serialize(new { method = _method.Name, trainer = Config, batch = _loader.GlobalBatch, seed = Config.Seed, experiment = _experiment }, SerializerOptions)
        : JsonSerializer.Serialize(new { method = _method.Name, trainer = Config, batch = _loader.GlobalBatch, processes = Group.WorldSize, batch_per_process = _loader.Options.BatchSize, seed = Config.Seed, experiment = _experiment }, SerializerOptions);

    static readonly JsonSerializerOptions SerializerOptions = new() { WriteIndented = true };

    /// <summary>Trains from the newest valid checkpoint of the run folder (or from scratch) to the end, or until cancelled.</summary>
    public TrainingResult Run(CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(RunFolder);
        var store = new CheckpointStore(Path.Combine(RunFolder, "checkpoints"), Config.KeepCheckpoints);
        var metrics = IsMain ? new MetricsLog(RunFolder) : null;
        _method.Trainable.train();
        using var optimization = NewOptimizationStep();
        var optimizer = optimization.Optimizer;

        var position = new TrainingPosition(0, 0, 0, 0);
        string? lastCheckpoint = null;
        if (LoadLatest(store) is var (checkpoint, path))
        {
            using (checkpoint)
            {
                CheckSameRun(checkpoint.ConfigJson, path);
                StateDicts.CopyInto(_method.Checkpointed, checkpoint.Model, path);
                optimizer.LoadStateDict(checkpoint.Optimizer, checkpoint.Position.OptimizerSteps);
                torch.set_rng_state(checkpoint.RngState);
                position = checkpoint.Position;
                lastCheckpoint = path;
            }
            metrics?.TruncateFrom(position.Step);
            _callbacks.OnMessage($"resuming from {path} at iteration {position.Step} (epoch {position.Epoch + 1}, batch {position.Batch})");
        }
        CheckSameStart(position.Step);
        if (IsMain) IO.AtomicFile.WriteAllText(Path.Combine(RunFolder, "config.json"), ConfigJson);
        if (Group.WorldSize > 1) BroadcastState();

        var clock = Stopwatch.StartNew();
        var window = Stopwatch.StartNew();
        long windowImages = 0, step = position.Step, sessionStart = position.Step;
        double? lastLoss = null;

        for (int epoch = position.Epoch; epoch < Epochs && step < TotalSteps; epoch++)
        {
            double epochLoss = 0;
            int epochSteps = 0;
            foreach (var batch in _loader.Epoch(epoch, epoch == position.Epoch ? position.Batch : 0, cancellation))
            {
                if (step >= TotalSteps)
                {
                    batch.Dispose();
                    break;
                }
                using var scope = NewDisposeScope();
                using var _ = batch;
                double lr = Schedule.At(step);
                using var iteration = optimization.Run(batch.To(Device), step, Schedule, lastCheckpoint);
                var (_, loss, update, _) = iteration;

                step++;
                windowImages += batch.Count * Group.WorldSize;
                epochLoss += loss;
                epochSteps++;
                lastLoss = loss;
                if (step % Config.LogEverySteps == 0 || step == TotalSteps)
                {
                    var elapsed = clock.Elapsed;
                    var report = new StepReport(step - 1, TotalSteps, epoch, Epochs, iteration.Values(), lr, windowImages / window.Elapsed.TotalSeconds,
                        elapsed, TimeSpan.FromSeconds(elapsed.TotalSeconds / Math.Max(1, step - sessionStart) * (TotalSteps - step)));
                    metrics?.Append(report);
                    _callbacks.OnStep(report);
                    window.Restart();
                    windowImages = 0;
                }

                if (update)
                {
                    bool epochDone = batch.Position + 1 == _loader.BatchesPerEpoch;
                    var next = epochDone ? new TrainingPosition(step, epoch + 1, 0, optimizer.Steps) : new TrainingPosition(step, epoch, batch.Position + 1, optimizer.Steps);
                    bool due = (Config.CheckpointEverySteps is { } every && step % every == 0)
                               || (epochDone && (epoch + 1) % Config.CheckpointEveryEpochs == 0) || step == TotalSteps;
                    bool stop = AnyProcess(cancellation.IsCancellationRequested);
                    if (due || stop)
                    {
                        lastCheckpoint = IsMain ? Save(store, optimizer, next) : store.PathFor(next.Step);
                    }
                    if (stop) return new TrainingResult(step, false, lastCheckpoint, lastLoss, _loader.Skipped, clock.Elapsed, optimization.GradientAveraging);
                }
            }
            if (epochSteps > 0) _callbacks.OnEpochEnd(epoch, new Dictionary<string, double> { ["loss"] = epochLoss / epochSteps });
        }
        if (_loader.Skipped.Count > 0)
            _callbacks.OnMessage($"{_loader.Skipped.Count} unreadable image(s) were skipped, first: {_loader.Skipped[0].Reason}");
        return new TrainingResult(step, true, lastCheckpoint, lastLoss, _loader.Skipped, clock.Elapsed, optimization.GradientAveraging);
    }

    /// <summary>A fresh optimisation step (a new optimiser state) for this trainer's method, config and run length: what
    /// <see cref="Run"/> runs each iteration, for benchmarks that time the trainer's own step.</summary>
    public OptimizationStep NewOptimizationStep() => new(_method, Config, TotalSteps, Group);

    /// <summary>The newest valid checkpoint: rank 0 looks first (and removes what a killed writer left), then the others
    /// read the same folder.</summary>
    (Checkpoint Checkpoint, string Path)? LoadLatest(CheckpointStore store)
    {
        if (IsMain)
        {
            var found = store.LoadLatest(_callbacks.OnMessage);
            Group.Barrier();
            return found;
        }
        Group.Barrier();
        return store.LoadLatest();
    }

    /// <summary>Every process must start at the same iteration: a process that found another checkpoint reads another
    /// folder (the run folder must be on a file system every node shares).</summary>
    void CheckSameStart(long step)
    {
        if (Group.WorldSize == 1) return;
        using var steps = zeros(Group.WorldSize, dtype: ScalarType.Int64);
        steps[Group.Rank] = tensor(step);
        Group.AllReduceSum(steps);
        var found = steps.data<long>().ToArray();
        if (found.Distinct().Count() > 1)
            throw new InvalidOperationException(
                $"The processes found different checkpoints in {RunFolder} (iterations {string.Join(", ", found)} on ranks 0…{Group.WorldSize - 1}): every process must see the same run folder, on a file system all nodes share.");
    }

    /// <summary>Rank 0's weights and buffers (FOLK's teacher and centre included) to every process.</summary>
    void BroadcastState()
    {
        using var _ = no_grad();
        foreach (var (name, state) in _method.Checkpointed.state_dict())
        {
            if (!state.is_contiguous())
                throw new InvalidOperationException($"{name} ({Shape.Format(state)}) is not contiguous, so it cannot be broadcast in place.");
            Group.Broadcast(state);
        }
    }

    /// <summary>Whether any process wants to stop: every process stops at the same step, or one would wait for ever.</summary>
    bool AnyProcess(bool wants)
    {
        if (Group.WorldSize == 1) return wants;
        using var flag = tensor(wants ? 1 : 0);
        Group.AllReduceSum(flag);
        return flag.item<int>() > 0;
    }

    string Save(CheckpointStore store, Optim.IOptimizer optimizer, TrainingPosition position)
    {
        var checkpoint = new Checkpoint
        {
            Model = _method.Checkpointed.state_dict(),
            Optimizer = optimizer.StateDict(),
            Position = position,
            RngState = torch.get_rng_state(),
            ConfigJson = ConfigJson,
        };
        var path = store.Save(checkpoint);
        checkpoint.RngState.Dispose();
        _callbacks.OnCheckpoint(path, position.Step);
        return path;
    }

    /// <summary>Refuses to resume a different run: every recorded setting must match, except the length of the run,
    /// where and how verbosely it runs, and what it exports.</summary>
    void CheckSameRun(string savedJson, string path)
    {
        var saved = JsonNode.Parse(savedJson);
        var current = JsonNode.Parse(ConfigJson);
        var free = new HashSet<string> { "processes", "batch_per_process", "trainer.Epochs", "trainer.Iterations", "trainer.Device", "trainer.LogEverySteps", "trainer.KeepCheckpoints", "trainer.CheckpointEverySteps", "trainer.CheckpointEveryEpochs" };
        free.UnionWith(_exportSettings);
        var differences = Differences(saved, current, "").Where(d => !free.Contains(d) && !AddedSinceAtDefault(saved, current, d)).ToList();
        if (differences.Count > 0)
            throw new RunFolderMismatchException(
                $"{RunFolder} holds a different run ({path}): {string.Join(", ", differences.Take(5))} differ. Use another output folder, or delete this one to start over.");
    }

    /// <summary>A trainer setting that a run saved by an older Folk.Lab lacks, now at its default (e.g.
    /// <see cref="TrainerConfig.Optimizer"/>, AdamW): the saved run ran with that default, so it is the same run.</summary>
    static bool AddedSinceAtDefault(JsonNode? saved, JsonNode? current, string difference)
    {
        const string prefix = "trainer.";
        if (!difference.StartsWith(prefix) || difference.IndexOf('.', prefix.Length) >= 0) return false;
        string key = difference[prefix.Length..];
        if (saved?["trainer"] is not JsonObject savedTrainer || savedTrainer.ContainsKey(key)) return false;
        var defaults = JsonSerializer.SerializeToNode(new TrainerConfig(), SerializerOptions);
        return JsonNode.DeepEquals(defaults?[key], current?["trainer"]?[key]);
    }

    static IEnumerable<string> Differences(JsonNode? a, JsonNode? b, string prefix)
    {
        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)))
                foreach (var d in Differences(oa[key], ob[key], prefix.Length == 0 ? key : $"{prefix}.{key}")) yield return d;
        }
        else if (!JsonNode.DeepEquals(a, b)) yield return prefix;
    }

    sealed class SilentCallbacks : ITrainingCallbacks { }
}
