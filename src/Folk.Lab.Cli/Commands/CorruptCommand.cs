using System.CommandLine;
using Folk.Lab.Corruptions.Common;
using Folk.Lab.IO;
using static TorchSharp.torch;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab corrupt</c>: one ImageNet-C corruption at one severity on a .npy batch, so that any language can make
/// ImageNet-C-style test sets on the fly (arXiv 1903.12261; <see cref="CommonCorruptions"/>).
/// </summary>
internal static class CorruptCommand
{
    public static Command Create(CliConsole console)
    {
        var kind = Options.Choice("--kind", "The corruption, by its ImageNet-C name", null, CommonCorruptions.All.Select(c => c.Name()).ToArray());
        var severity = Options.Integer("--severity", "1 (mildest) … 5", null, 1, 5);
        var images = Options.InputFile("--images", "B×3×H×W float32 images in [0,1], H = W = 224 (ImageNet-C) or 32 (CIFAR-10-C)");
        var output = Options.OutputFile("--out", "Where to write the corrupted B×3×H×W float32 images (atomically)");
        var seed = new Option<long>("--seed") { Description = "Seed of the random draws (the same seed gives the same images)", DefaultValueFactory = _ => 0 };
        var command = new Command("corrupt", "Apply one ImageNet-C corruption at one severity to a .npy batch.") { kind, severity, images, output, seed };
        command.SetAction(p =>
        {
            var corruption = CommonCorruptions.Parse(p.GetValue(kind)!);
            if (!CommonCorruptions.IsImplemented(corruption))
                throw new ArgumentException($"--kind {corruption.Name()}: not implemented in this build; implemented: " +
                    string.Join(", ", CommonCorruptions.All.Where(CommonCorruptions.IsImplemented).Select(c => c.Name())) + ".");
            var file = p.GetValue(images)!;
            using var x = Load(file);
            using var generator = new Generator(unchecked((ulong)p.GetValue(seed)));
            using var y = CommonCorruptions.Apply(corruption, x, p.GetValue(severity), generator);
            var target = p.GetValue(output)!;
            Npy.Write(target.FullName, y);
            var table = x.shape[2] == 224 ? "ImageNet-C constants (224²)" : "CIFAR-10-C constants (32²)";
            console.Out.WriteLine($"wrote {target}: {string.Join("×", y.shape)} {corruption.Name()} at severity {p.GetValue(severity)}, {table}, seed {p.GetValue(seed)}");
            return 0;
        });
        return command;
    }

    /// <summary>Reads and checks the batch; every complaint names the file, the field and the fix.</summary>
    static Tensor Load(FileInfo file)
    {
        Tensor x;
        try { x = Npy.Read(file.FullName); }
        catch (InvalidDataException e) { throw new InvalidDataException($"--images: {e.Message}", e); }
        try
        {
            string shape = $"[{string.Join(", ", x.shape)}]";
            if (x.dim() != 4)
                throw new ArgumentException($"--images {file}: rank: expected 4 dimensions (B×3×H×W), got {x.dim()} {shape}; " +
                    (x.dim() == 3 ? "add the batch axis (x[None])." : "save a B×3×H×W batch."));
            if (x.shape[1] != 3)
                throw new ArgumentException($"--images {file}: shape: expected 3 channels on axis 1 (B×3×H×W), got {shape}; " +
                    (x.shape[3] == 3 ? "the array looks like B×H×W×3: transpose it with x.transpose(0, 3, 1, 2)."
                        : "ImageNet-C corrupts RGB images: repeat a grey channel with numpy.repeat(x, 3, axis=1)."));
            if (x.dtype != ScalarType.Float32)
                throw new ArgumentException($"--images {file}: dtype: expected float32, got {x.dtype}; " +
                    (x.dtype == ScalarType.Byte ? "convert 8-bit pixels with (x / 255).astype(numpy.float32)." : "convert with x.astype(numpy.float32)."));
            if (x.shape[2] != x.shape[3] || x.shape[2] is not (224 or 32))
                throw new ArgumentException($"--images {file}: side: got {x.shape[2]}×{x.shape[3]}; ImageNet-C's constants are for 224×224 " +
                    "images and CIFAR-10-C's for 32×32: resize to 256 and centre-crop 224 (or resize to 32) first.");
            if (x.shape[0] == 0)
                throw new ArgumentException($"--images {file}: shape: the batch is empty {shape}; save at least one image.");
            float min = x.min().item<float>(), max = x.max().item<float>();
            if (!(min >= 0 && max <= 1))
                throw new ArgumentException($"--images {file}: range: expected pixels in [0,1], found values in [{min:g4}, {max:g4}]; " +
                    "divide 8-bit pixels by 255 and undo any mean/std normalisation first.");
            return x;
        }
        catch
        {
            x.Dispose();
            throw;
        }
    }
}
