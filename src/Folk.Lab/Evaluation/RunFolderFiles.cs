using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Folk.Lab.Training.Checkpoints;

namespace Folk.Lab.Evaluation;

/// <summary>What the evaluations read from a finished run folder (<see cref="PretrainedRun"/>,
/// <see cref="FinetunedClassifier"/>): config.json's "experiment", the newest checkpoint, a file's SHA-256.</summary>
static class RunFolderFiles
{
    /// <summary>config.json's "experiment" object.</summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="noConfig">The message when there is no config.json (it says what folder was expected).</param>
    /// <param name="noExperiment">What to add when the file has no "experiment" object.</param>
    public static JsonObject ReadExperiment(string folder, string noConfig, string noExperiment)
    {
        var config = Path.Combine(folder, "config.json");
        if (!File.Exists(config)) throw new FileNotFoundException(noConfig, config);
        try
        {
            return JsonNode.Parse(File.ReadAllText(config))?["experiment"] as JsonObject
                ?? throw new InvalidDataException($"{config}: no \"experiment\" object; {noExperiment}");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{config} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>config.json's "experiment" object of a run that <paramref name="command"/> wrote with
    /// "protocol": <paramref name="protocol"/>; every error names the folder, the field and the command to give.</summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="protocol">The protocol the run must record ("finetune", "segmentation").</param>
    /// <param name="what">The run, in words ("fine-tuning").</param>
    /// <param name="command">The command whose <c>--out</c> folder is expected ("folk-lab finetune").</param>
    public static JsonObject ReadExperiment(string folder, string protocol, string what, string command)
    {
        var experiment = ReadExperiment(folder, $"{folder} is not a {what} run folder: it has no config.json (give the --out folder of {command}).",
            $"this run was not written by {command}.");
        if (experiment["protocol"]?.GetValue<string>() != protocol)
            throw new InvalidDataException($"{folder} is not a {what} run (config.json \"experiment.protocol\" is "
                                           + $"{experiment["protocol"]?.ToJsonString() ?? "missing"}); give the --out folder of {command}.");
        return experiment;
    }

    /// <summary>The newest checkpoint in <c>folder/checkpoints</c>; <paramref name="notYet"/> ends the error when there is none.</summary>
    public static string NewestCheckpoint(string folder, string notYet)
    {
        var checkpoints = Path.Combine(folder, "checkpoints");
        return new CheckpointStore(checkpoints).Files().FirstOrDefault().Path
            ?? throw new FileNotFoundException($"{folder}/checkpoints holds no checkpoint: {notYet}", checkpoints);
    }

    /// <summary>A file's SHA-256, lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
