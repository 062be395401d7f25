using System.CommandLine;
using System.Diagnostics;
using Folk.Lab.Interactive;
using Folk.Lab.Interactive.Rendering;
using Folk.Lab.Interactive.Views;
using Microsoft.DotNet.Interactive.Formatting;
using SkiaSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab bench render</c>: what a notebook output costs, from tensor to the text/html a front end receives, for a
/// 64-image 224² grid and a 224² spectrum heatmap, next to a naive reference measured in the same run: the same pixels
/// written one <c>SKBitmap.SetPixel</c> at a time and encoded by SkiaSharp.
/// </summary>
internal static class RenderBenchmark
{
    public static Command Create(CliConsole console)
    {
        var repeats = Options.Integer("--repeats", "Timed repetitions per case (the median is reported)", 5, 1, 1000);
        var images = Options.Integer("--images", "Images in the grid", 64, 1, 1024);
        var size = Options.Integer("--size", "Image size in pixels", 224, 8, 2048);
        var command = new Command("render", "Notebook rendering cost: a 64-image 224² grid and a 224² spectrum heatmap, ours vs naive per-pixel SkiaSharp.")
        {
            repeats, images, size,
        };
        command.SetAction(p =>
        {
            int n = p.GetValue(repeats), b = p.GetValue(images), s = p.GetValue(size);
            FolkLabFormatters.Register();
            using var batch = Data.DeadLeaves.Generate(b, s, new Generator(0));
            console.Out.WriteLine($"bench render: median of {n} after one warm-up; {Environment.ProcessorCount} core(s), {get_num_threads()} torch thread(s)");
            console.Out.WriteLine($"  {"case",-32} {"ours ms",9} {"naive ms",9} {"naive/ours",10}  output");

            var grid = Case(n, () => Formatter.ToDisplayString(ImageGrid.Of(batch), HtmlFormatter.MimeType).Length,
                               () => NaiveGrid(batch));
            Report(console, $"grid {b}×3×{s}² → text/html", grid);
            var spectrum = Case(n, () => Formatter.ToDisplayString(SpectrumView.Of(batch[0]), HtmlFormatter.MimeType).Length,
                                   () => NaiveSpectrum(batch[0]));
            Report(console, $"spectrum heatmap {s}² → text/html", spectrum);
            return 0;
        });
        return command;
    }

    sealed record Timing(double Ours, double Naive, int OutputBytes);

    static Timing Case(int repeats, Func<int> ours, Func<int> naive)
    {
        int bytes = ours();
        naive();
        return new Timing(Median(repeats, () => ours()), Median(repeats, () => naive()), bytes);
    }

    static double Median(int repeats, Action action)
    {
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }

    static void Report(CliConsole console, string name, Timing t) =>
        console.Out.WriteLine($"  {name,-32} {t.Ours,9:F1} {t.Naive,9:F1} {t.Naive / t.Ours,9:F1}×  {t.OutputBytes / 1024.0:F0} KiB");

    /// <summary>The reference: pixels copied out once, then one SetPixel per pixel into the grid and a PNG encode.</summary>
    static int NaiveGrid(Tensor batch)
    {
        int b = (int)batch.shape[0], h = (int)batch.shape[2], w = (int)batch.shape[3], columns = Math.Min(8, b), rows = (b + columns - 1) / columns;
        using var cpu = batch.contiguous();
        var values = cpu.data<float>().ToArray();
        using var bitmap = new SKBitmap(columns * (w + 2) + 2, rows * (h + 2) + 2);
        for (int i = 0; i < b; i++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    byte C(int c) => (byte)Math.Round(Math.Clamp(values[((i * 3 + c) * h + y) * w + x], 0, 1) * 255);
                    bitmap.SetPixel(2 + (i % columns) * (w + 2) + x, 2 + (i / columns) * (h + 2) + y, new SKColor(C(0), C(1), C(2)));
                }
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return Convert.ToBase64String(png.ToArray()).Length;
    }

    /// <summary>The reference: the same log-magnitude, coloured one SetPixel at a time and encoded.</summary>
    static int NaiveSpectrum(Tensor image)
    {
        using var scope = NewDisposeScope();
        var magnitude = Frequency.Spectrum.LogMagnitude(Frequency.Spectrum.Centered(image)).mean(new long[] { 0 }).contiguous();
        int h = (int)magnitude.shape[0], w = (int)magnitude.shape[1];
        var values = magnitude.data<float>().ToArray();
        float lo = values.Min(), hi = values.Max();
        using var bitmap = new SKBitmap(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (r, g, b) = Colormap.Spectral[(values[y * w + x] - lo) / (hi - lo)];
                bitmap.SetPixel(x, y, new SKColor(r, g, b));
            }
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return Convert.ToBase64String(png.ToArray()).Length;
    }
}
