using System.Text.Json.Nodes;
using Folk.Lab.Evaluation;

namespace Folk.Lab.Tests.Evaluation;

public sealed class EvaluationResultTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-result-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static EvaluationResult Result(string method, string setting, long seed, double value, string model = "vit-t", string data = "fashion-mnist",
                                            string headline = "top1", JsonObject? config = null) =>
        new("finetune", setting, config ?? new JsonObject { ["epochs"] = 1, ["lr"] = 1e-3 },
            new EncoderSource(method == "random" ? "random" : $"runs/{method}-{seed}", method == "random" ? null : "checkpoint.pt",
                              method == "random" ? null : new string((char)('a' + seed % 6), 64), method, model),
            data, seed, new Dictionary<string, double> { [headline] = value, ["loss"] = 0.5 }, headline, 12.5, "cpu",
            new Dictionary<string, string> { ["folk_lab"] = "1.0" }, new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));

    [Fact]
    public void WriteThenReadGivesTheSameResultNaNAndInfinitiesIncluded()
    {
        var written = Result("mfm", "k-NN", 3, 0.8125) with
        {
            Metrics = new Dictionary<string, double> { ["top1"] = 0.8125, ["loss"] = double.NaN, ["ratio"] = double.PositiveInfinity },
            Seconds = double.NaN,
            Config = new JsonObject { ["epochs"] = 2, ["nested"] = new JsonObject { ["k"] = 20, ["t"] = 0.07 } },
        };
        var path = written.Write(_dir);
        Assert.Equal(Path.Combine(_dir, EvaluationResult.FileName), path);
        Assert.Contains("\"loss\": \"NaN\"", File.ReadAllText(path));
        Assert.DoesNotContain("source_file", File.ReadAllText(path));

        var read = EvaluationResult.Read(_dir);
        Assert.Equal(path, read.SourceFile);
        Assert.Equal((written.Protocol, written.Setting, written.Encoder, written.Data, written.Seed, written.Headline, written.Device, written.Date),
                     (read.Protocol, read.Setting, read.Encoder, read.Data, read.Seed, read.Headline, read.Device, read.Date));
        Assert.Equal(written.Metrics.OrderBy(m => m.Key), read.Metrics.OrderBy(m => m.Key));   // double.Equals: NaN equals NaN
        Assert.True(double.IsNaN(read.Metrics["loss"]));
        Assert.True(double.IsPositiveInfinity(read.Metrics["ratio"]));
        Assert.True(double.IsNaN(read.Seconds));
        Assert.Equal(written.Versions, read.Versions);
        Assert.True(JsonNode.DeepEquals(written.Config, read.Config));
        Assert.Equal(0.8125, read.Value);
        Assert.Equal(File.ReadAllText(path), File.ReadAllText(read.Write(Path.Combine(_dir, "again"))));   // byte-identical rewrite
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("metrics")]
    [InlineData("date")]
    [InlineData("setting")]
    public void AMissingFieldIsNamedWithTheFile(string field)
    {
        var path = Result("mfm", "k-NN", 0, 0.5).Write(_dir);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json.Remove(field);
        File.WriteAllText(path, json.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => EvaluationResult.Read(_dir));
        Assert.Contains(path, e.Message);
        Assert.Contains($"\"{field}\" is missing", e.Message);
    }

    [Fact]
    public void AMissingEncoderFieldAWrongTypeAndBrokenJsonAreNamed()
    {
        var path = Result("mfm", "k-NN", 0, 0.5).Write(_dir);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["encoder"]!.AsObject().Remove("method");
        File.WriteAllText(path, json.ToJsonString());
        Assert.Contains("\"encoder.method\" is missing", Assert.Throws<InvalidDataException>(() => EvaluationResult.Read(path)).Message);

        json = JsonNode.Parse(File.ReadAllText(Result("mfm", "k-NN", 0, 0.5).Write(_dir)))!.AsObject();
        json["seed"] = "zero";
        File.WriteAllText(path, json.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => EvaluationResult.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("\"seed\" cannot be read", e.Message);

        json["seed"] = 0;
        json["metrics"]!["top1"] = "high";
        File.WriteAllText(path, json.ToJsonString());
        Assert.Contains("\"metrics.top1\" cannot be read", Assert.Throws<InvalidDataException>(() => EvaluationResult.Read(path)).Message);

        json["metrics"]!["top1"] = 0.5;
        json["headline"] = "top5";
        File.WriteAllText(path, json.ToJsonString());
        Assert.Contains("\"headline\" names \"top5\", which is not in \"metrics\"", Assert.Throws<InvalidDataException>(() => EvaluationResult.Read(path)).Message);

        File.WriteAllText(path, "{\"protocol\": \"knn\",");
        e = Assert.Throws<InvalidDataException>(() => EvaluationResult.Read(path));
        Assert.Contains($"{path} is not valid JSON", e.Message);

        Directory.CreateDirectory(Path.Combine(_dir, "unfinished"));
        Assert.Throws<FileNotFoundException>(() => EvaluationResult.Read(Path.Combine(_dir, "unfinished")));
    }
}
