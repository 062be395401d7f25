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

    public static Command Create(CliConsole console) => new("weights", "Weights from PyTorch: list and convert .pth, .safetensors and .npz files (nothing in a .pth file runs).")
    {
        Inspect(console),
        Convert(console),
    };

    static Command Inspect(CliConsole console)
    {
        var file = Existing("file", "A .pth (zip or legacy), .safetensors or .npz file");
        var command = new Command("inspect",
            "One JSON line per tensor on stdout ({\"name\", \"shape\", \"dtype\"}), in the file's order; the keys left out " +
            "(a checkpoint's optimizer, epoch…) on stderr. A .pth file's tensor bytes are not read.")
        {
            file,
        };
        command.SetAction(p =>
        {
            var path = p.GetValue(file)!.FullName;
            IReadOnlyList<PthTensorInfo> tensors;
            IReadOnlyList<string> skipped = Array.Empty<string>();
            if (Kind(path) == "pth") (tensors, skipped) = Pth.Inspect(path);
            else
            {
                var (read, _) = Read(path);
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
        var command = new Command("convert",
            "Convert a weight file: a .pth checkpoint's state dict (its 'model' or 'state_dict' entry when nested) to " +
            "safetensors, pth or npz, bit for bit. npz holds float32, float64, int64, int32, uint8 and bool only.")
        {
            file, to, output,
        };
        command.SetAction(p =>
        {
            var path = p.GetValue(file)!.FullName;
            var target = p.GetValue(output)!.FullName;
            var format = p.GetValue(to)!;
            var (tensors, skipped) = Read(path);
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
                return 0;
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
        });
        return command;
    }

    static (Dictionary<string, Tensor> Tensors, IReadOnlyList<string> Skipped) Read(string path)
    {
        switch (Kind(path))
        {
            case "safetensors": return (SafeTensors.Read(path).Tensors, Array.Empty<string>());
            case "npz": return (Npz.Read(path), Array.Empty<string>());
            default:
                var checkpoint = Pth.Read(path);
                return (checkpoint.Tensors, checkpoint.Skipped);
        }
    }

    static string Kind(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".safetensors" => "safetensors",
        ".npz" => "npz",
        _ => "pth",
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
