using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Folk.Lab.IO;
using Folk.Lab.IO.Pth;
using static TorchSharp.torch;

namespace Folk.Lab.Cli.Commands;

/// <summary><c>folk-lab weights</c>: PyTorch weight files (.pth) and the formats Folk.Lab writes, looked into and
/// converted; a .pth file's pickle is read without running anything in it (<see cref="Pth"/>).</summary>
internal static class WeightsCommand
{
    static readonly string[] Formats = { "safetensors", "pth", "npz" };
    static readonly string[] Layouts = { "auto", "mfm", "timm-vit", "torchvision", "folk-lab" };

    public static Command Create(CliConsole console) => new("weights", "Weights from PyTorch: list and convert .pth, .safetensors and .npz files (nothing in a .pth file runs).")
    {
        Inspect(console),
        Convert(console),
        Map(console),
    };

    static Command Inspect(CliConsole console)
    {
        var file = Existing("file", "A .pth (zip or legacy), .safetensors or .npz file");
        var skipObjects = SkipObjects();
        var command = new Command("inspect",
            "One JSON line per tensor on stdout ({\"name\", \"shape\", \"dtype\"}), in the file's order; the keys left out " +
            "(a checkpoint's optimizer, epoch…) on stderr. A .pth file's tensor bytes are not read.")
        {
            file, skipObjects,
        };
        command.SetAction(p =>
        {
            var path = p.GetValue(file)!.FullName;
            IReadOnlyList<PthTensorInfo> tensors;
            IReadOnlyList<string> skipped = Array.Empty<string>();
            if (WeightFile.Format(path) == "pth") (tensors, skipped) = Pth.Inspect(path, p.GetValue(skipObjects));
            else
            {
                var (read, _) = WeightFile.Read(path, false);
                tensors = read.Select(t => PthTensorInfo.Of(t.Key, t.Value)).ToList();
                foreach (var t in read.Values) t.Dispose();
            }
            foreach (var t in tensors)
                console.Out.WriteLine(JsonSerializer.Serialize(new { name = t.Name, shape = t.Shape, dtype = t.DType }));
            foreach (var key in skipped) console.Error.WriteLine($"skipped: {key}");
            return 0;
        });
        return command;
    }

    static Command Convert(CliConsole console)
    {
        var file = Existing("file", "The file to convert: .pth (zip or legacy), .safetensors or .npz");
        var to = new Option<string>("--to") { Description = "The format to write: safetensors, pth (the zip layout torch.load reads) or npz", Required = true };
        to.AcceptOnlyFromAmong(Formats);
        var output = new Option<FileInfo>("--out") { Description = "The file to write (atomically)", Required = true };
        var map = new Option<string?>("--map") { Description = "Rename onto Folk.Lab's encoder names first, from: auto, mfm, timm-vit, torchvision or folk-lab (see 'weights map'); default: names kept" };
        map.AcceptOnlyFromAmong(Layouts);
        var skipObjects = SkipObjects();
        var command = new Command("convert",
            "Convert a weight file: a .pth checkpoint's state dict (its 'model' or 'state_dict' entry when nested) to " +
            "safetensors, pth or npz, bit for bit. npz holds float32, float64, int64, int32, uint8 and bool only.")
        {
            file, to, output, map, skipObjects,
        };
        command.SetAction(p =>
        {
            var path = p.GetValue(file)!.FullName;
            var target = p.GetValue(output)!.FullName;
            var format = p.GetValue(to)!;
            var (read, skipped) = WeightFile.Read(path, p.GetValue(skipObjects));
            var mapping = p.GetValue(map) is { } from ? StateDictMap.Apply(read, Layout(from, read.Keys)) : null;
            var tensors = mapping?.Tensors ?? read;
            try
            {
                switch (format)
                {
                    case "safetensors": SafeTensors.Write(target, tensors); break;
                    case "pth": Pth.Write(target, tensors); break;
                    default: Npz.Write(target, tensors); break;
                }
                long bytes = tensors.Values.Sum(t => t.numel() * t.element_size());
                console.Out.WriteLine($"weights convert: {tensors.Count.ToString(CultureInfo.InvariantCulture)} tensors, " +
                                      $"{(bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture)} MB, written as {format} to {target}");
                foreach (var key in skipped) console.Error.WriteLine($"skipped: {key}");
                foreach (var line in mapping?.Dropped ?? Array.Empty<string>()) console.Error.WriteLine($"dropped: {line}");
                return 0;
            }
            finally
            {
                foreach (var t in (mapping?.Tensors.Values ?? Enumerable.Empty<Tensor>()).Concat(read.Values)) t.Dispose();
            }
        });
        return command;
    }

    static Command Map(CliConsole console)
    {
        var file = Existing("file", "A state dict or checkpoint: .pth, .safetensors or .npz");
        var model = new Option<string>("--model") { Description = "The Folk.Lab encoder to map onto: " + string.Join(", ", Models.ModelCatalog.Names), Required = true };
        model.AcceptOnlyFromAmong(Models.ModelCatalog.Names.ToArray());
        var layout = new Option<string>("--from") { Description = "The file's names: auto (the default), mfm, timm-vit, torchvision or folk-lab", DefaultValueFactory = _ => "auto" };
        layout.AcceptOnlyFromAmong(Layouts);
        var skipObjects = SkipObjects();
        var imageSize = Options.Integer("--image-size", "Image size the encoder is built for (sets pos_embed's length)", 224, 16, 4096);
        var patchSize = new Option<int?>("--patch-size") { Description = "ViT patch size (default 16)" };
        var classes = new Option<int?>("--classes") { Description = "Map onto the fine-tuning form with a head of this many classes (default: the pre-training form)" };
        var output = new Option<FileInfo>("--out") { Description = "Write the renamed tensors here (.safetensors, .npz, else .pth)" };
        var command = new Command("map",
            "Rename a state dict from the official MFM code, timm's ViT or torchvision's ResNet-50 onto a Folk.Lab encoder's " +
            "names and list what is dropped, missing, unexpected or of another shape. Exit 0 = every name matches, 1 = not.")
        {
            file, model, layout, imageSize, patchSize, classes, output, skipObjects,
        };
        command.SetAction(p =>
        {
            var path = p.GetValue(file)!.FullName;
            var (tensors, skipped) = WeightFile.Read(path, p.GetValue(skipObjects));
            var from = Layout(p.GetValue(layout)!, tensors.Keys);
            var mapping = StateDictMap.Apply(tensors, from);
            try
            {
                var name = p.GetValue(model)!;
                using var encoder = p.GetValue(classes) is { } n
                    ? Models.ModelCatalog.CreateClassifier(name, p.GetValue(imageSize), n, p.GetValue(patchSize))
                    : Models.ModelCatalog.Create(name, p.GetValue(imageSize), p.GetValue(patchSize));
                var shapes = encoder.state_dict().ToDictionary(e => e.Key, e => e.Value.shape);
                var resized = Models.PositionEmbedding.Fit(mapping.Tensors, shapes);
                var comparison = StateDictMap.Compare(shapes, mapping.Tensors);
                console.Out.WriteLine($"weights map: {mapping.Tensors.Count.ToString(CultureInfo.InvariantCulture)} tensors of {path} ({from}) onto {name}: " +
                                      (comparison.Exact ? "every name matches" : "names differ"));
                foreach (var line in mapping.Dropped) console.Out.WriteLine($"dropped: {line}");
                if (resized is not null) console.Out.WriteLine($"resized: {resized}");
                foreach (var line in comparison.Missing) console.Out.WriteLine($"missing: {line}");
                foreach (var line in comparison.Unexpected) console.Out.WriteLine($"unexpected: {line}");
                foreach (var line in comparison.Mismatched) console.Out.WriteLine($"mismatched: {line}");
                foreach (var key in skipped) console.Error.WriteLine($"skipped: {key}");
                if (p.GetValue(output) is { } target)
                {
                    WeightFile.Write(target.FullName, mapping.Tensors);
                    console.Out.WriteLine($"written to {target.FullName}");
                }
                return comparison.Exact ? 0 : 1;
            }
            finally
            {
                foreach (var t in mapping.Tensors.Values) t.Dispose();
                foreach (var t in tensors.Values) t.Dispose();
            }
        });
        return command;
    }

    static StateDictLayout Layout(string name, IEnumerable<string> keys) => name switch
    {
        "mfm" => StateDictLayout.Mfm,
        "timm-vit" => StateDictLayout.TimmVit,
        "torchvision" => StateDictLayout.Torchvision,
        "folk-lab" => StateDictLayout.FolkLab,
        _ => StateDictMap.Detect(keys),
    };

    static Option<bool> SkipObjects() => new("--skip-objects")
    {
        Description = "Read a checkpoint that also pickles other objects outside its weights (MFM's checkpoints hold their " +
                      "yacs config): those entries are listed as skipped and never built; nothing in the file runs either way",
    };

    static Argument<FileInfo> Existing(string name, string description)
    {
        var argument = new Argument<FileInfo>(name) { Description = description };
        argument.Validators.Add(result =>
        {
            var f = result.GetValueOrDefault<FileInfo>();
            if (f is not null && !f.Exists) result.AddError($"{name} '{f}' does not exist.");
        });
        return argument;
    }
}
