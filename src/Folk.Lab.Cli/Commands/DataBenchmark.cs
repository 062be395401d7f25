using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Folk.Lab.Data;
using Folk.Lab.Data.Readers;
using Folk.Lab.Diagnostics;
using SkiaSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab bench data</c>: images/s of the MFM pre-training input pipeline (decode JPEG → RandomResizedCrop →
/// horizontal flip → tensor → batch) on all cores, Folk.Lab's <see cref="DataLoader"/> next to torchvision + PIL
/// (MFM data/data_mfm.py) reading the same JPEG files in the same run.
/// </summary>
internal static class DataBenchmark
{
    public static Command Create(CliConsole console)
    {
        var images = Options.Integer("--images", "JPEG files generated (ImageNet's usual 500×375 and 375×500)", 256, 8, 1_000_000);
        var threads = Options.Integer("--threads", "Decoding workers on both sides (default: all cores)", Environment.ProcessorCount, 1, 1024);
        var batch = Options.Integer("--batch", "Images per batch", 32, 1, 4096);
        var repeats = Options.Integer("--repeats", "Timed epochs after one warm-up epoch (the fastest is reported)", 3, 1, 100);
        var size = Options.Integer("--size", "Crop size (MFM DATA.IMG_SIZE)", 224, 8, 4096);
        var quality = Options.Integer("--quality", "JPEG quality of the generated files", 90, 1, 100);
        var root = new Option<DirectoryInfo>("--root") { Description = "Time an existing ImageFolder (root/<class>/<image>) instead of generated files" };
        var noReference = new Option<bool>("--no-reference") { Description = "Skip the torchvision side" };
        var command = new Command("data",
            "Pre-training input pipeline img/s (decode JPEG → RandomResizedCrop → flip → tensor) on all cores: Folk.Lab's loader vs torchvision + PIL on the same files.")
        {
            images, threads, batch, repeats, size, quality, root, noReference,
        };
        command.SetAction(p =>
        {
            int workers = p.GetValue(threads), b = p.GetValue(batch), r = p.GetValue(repeats), s = p.GetValue(size);
            var augmentation = new Methods.MfmConfig();
            string? temp = null;
            try
            {
                string folder;
                if (p.GetValue(root) is { } given) folder = given.FullName;
                else
                {
                    temp = Directory.CreateTempSubdirectory("folk-lab-bench-data-").FullName;
                    folder = temp;
                    WriteJpegs(folder, p.GetValue(images), p.GetValue(quality));
                }
                var dataset = new ImageFolderDataset(folder);
                console.Out.WriteLine($"bench data: {dataset.Count} {(temp is null ? "image(s)" : "JPEG(s)")} in {dataset.Classes.Count} class folder(s){(temp is null ? $" under {folder}" : $" ({ImageSizes}, quality {p.GetValue(quality)}, generated)")}, " +
                                      $"{workers} worker(s) on {Environment.ProcessorCount} core(s), batch {b}, fastest of {r} epoch(s) after one warm-up epoch (the machine's other load only slows an epoch down)");
                console.Out.WriteLine($"  pipeline: decode JPEG → RandomResizedCrop({s}, scale ({augmentation.MinCropScale}, 1), bicubic) → horizontal flip → float32 tensor in [0,1] → batch");
                console.Out.WriteLine("  (MFM data/data_mfm.py; Folk.Lab: ImageFolderDataset + MfmConfig.Augmentation + DataLoader)");

                var transform = augmentation.Augmentation(s);
                var eightBit = TimeOurs("Folk.Lab, 8-bit path (default)", dataset, transform, b, workers, r, Resampling.EightBit);
                var floatPath = TimeOurs("Folk.Lab, float path (Resampling.Float)", dataset, transform, b, workers, r, Resampling.Float);
                Side? theirs = null;
                var python = p.GetValue(noReference) ? null : ReferencePython.Find();
                if (python is not null)
                {
                    using var json = JsonDocument.Parse(BenchCommand.RunScript(python, "bench_data.py", new[]
                    {
                        "--root", folder, "--workers", $"{workers}", "--batch", $"{b}", "--size", $"{s}",
                        "--min-scale", augmentation.MinCropScale.ToString(System.Globalization.CultureInfo.InvariantCulture), "--repeats", $"{r}",
                    }));
                    var result = json.RootElement;
                    int count = result.GetProperty("images").GetInt32();
                    var cpu = result.GetProperty("cpu_seconds").EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number).Select(e => e.GetDouble()).ToArray();
                    theirs = new Side($"torchvision {result.GetProperty("torchvision").GetString()} + PIL {result.GetProperty("pil").GetString()} ({workers} worker processes)",
                        count / result.GetProperty("seconds").EnumerateArray().Min(e => e.GetDouble()), cpu.Length > 0 ? 1000 * cpu.Min() / count : null);
                }
                console.Out.WriteLine();
                console.Out.WriteLine($"  {"",-52} {"img/s",9} {"ratio",7} {"CPU ms/img",11} {"ratio",7}");
                foreach (var side in new[] { eightBit, floatPath, theirs }.OfType<Side>())
                {
                    bool ours = !ReferenceEquals(side, theirs);
                    string Ratio(double? value, double? reference) => ours && value is { } v && reference is { } x ? $"{v:F2}×".PadLeft(7) : "".PadLeft(7);
                    console.Out.WriteLine($"  {side.Label,-52} {side.ImagesPerSecond,9:F1} {Ratio(side.ImagesPerSecond / theirs?.ImagesPerSecond, theirs?.ImagesPerSecond)} " +
                                          $"{(side.CpuMsPerImage is { } ms ? ms.ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : "?"),11} {Ratio(theirs?.CpuMsPerImage / side.CpuMsPerImage, theirs?.CpuMsPerImage)}");
                }
                console.Out.WriteLine("  (img/s: the fastest epoch's throughput on all workers; CPU ms/img: processor time of every thread or process");
                console.Out.WriteLine("   of the side per image, which other jobs on the machine barely change; ratio: Folk.Lab's advantage)");
                if (theirs is { } t)
                    console.Out.WriteLine($"  target: the default path ≥ 1.5× torchvision + PIL in img/s: {(eightBit.ImagesPerSecond / t.ImagesPerSecond >= 1.5 ? "met" : "missed")} ({eightBit.ImagesPerSecond / t.ImagesPerSecond:F2}×)");
                else if (!p.GetValue(noReference)) console.Out.WriteLine($"  reference skipped: {ReferencePython.InstallHint}");
                return 0;
            }
            finally
            {
                if (temp is not null) Directory.Delete(temp, recursive: true);
            }
        });
        return command;
    }

    const string ImageSizes = "500×375 and 375×500";

    /// <summary>One side of the comparison: its fastest epoch's images per second and its least CPU time per image.</summary>
    sealed record Side(string Label, double ImagesPerSecond, double? CpuMsPerImage);

    /// <summary>Folk.Lab's loader over one untimed epoch, then <paramref name="repeats"/> timed ones.</summary>
    static Side TimeOurs(string label, IImageDataset dataset, Data.Transforms.IViewTransform transform, int batch, int workers, int repeats, Resampling resampling)
    {
        var loader = new DataLoader(dataset, transform, new DataLoaderOptions { BatchSize = batch, Workers = workers, DropLast = false, Seed = 0, Resampling = resampling });
        if (loader.EightBitPath != (resampling == Resampling.EightBit))
            throw new InvalidOperationException($"The loader did not take the {resampling} path the benchmark times.");
        double fastest = double.PositiveInfinity, leastCpu = double.PositiveInfinity;
        using var process = Process.GetCurrentProcess();
        for (int epoch = 0; epoch <= repeats; epoch++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            foreach (var b in loader.Epoch(epoch)) b.Dispose();
            double seconds = clock.Elapsed.TotalSeconds;
            process.Refresh();
            if (epoch == 0) continue;
            fastest = Math.Min(fastest, seconds);
            leastCpu = Math.Min(leastCpu, (process.TotalProcessorTime - cpu).TotalSeconds);
        }
        return new Side(label, dataset.Count / fastest, 1000 * leastCpu / dataset.Count);
    }

    /// <summary>
    /// Writes <paramref name="count"/> JPEGs into ten class folders: Folk.Lab's synthetic images (dead leaves with a
    /// textured object, a photograph's 1/f² spectrum) at ImageNet's most common sizes, 4:2:0 chroma as cameras save.
    /// </summary>
    internal static void WriteJpegs(string root, int count, int quality)
    {
        var source = new SyntheticImages(new SyntheticImagesOptions { Count = count, Size = 500, Seed = 0 });
        foreach (var name in source.Classes.Take(10)) Directory.CreateDirectory(Path.Combine(root, name));
        Parallel.For(0, count, i =>
        {
            using var sample = source.Get(i);
            bool landscape = i % 2 == 0;
            using var crop = sample.Image.narrow(landscape ? 1 : 2, 62, 375);
            var path = Path.Combine(root, source.Classes[i % 10], $"{i:D7}.jpg");
            File.WriteAllBytes(path, Jpeg(crop, quality));
        });
    }

    static byte[] Jpeg(Tensor image, int quality)
    {
        int height = (int)image.shape[1], width = (int)image.shape[2];
        using var scope = NewDisposeScope();
        var hwc = image.mul(255).round_().clamp_(0, 255).to(ScalarType.Byte).permute(1, 2, 0);
        var rgba = cat(new[] { hwc, full(height, width, 1, (byte)255, dtype: ScalarType.Byte) }, 2).contiguous();
        var bytes = rgba.data<byte>().ToArray();
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject());
            using var data = pixmap.Encode(new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore))
                ?? throw new InvalidOperationException("SkiaSharp could not encode a JPEG.");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }
}
