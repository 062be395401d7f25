using System.Globalization;
using System.Text;
using System.Text.Json;
using Folk.Lab.Data;
using Folk.Lab.Frequency;
using Folk.Lab.Interactive.Rendering;
using Folk.Lab.IO;
using Folk.Lab.Masks;
using static TorchSharp.torch;

namespace Folk.Lab.Cli.Demo;

/// <summary>One file the demo wrote, for the listing it prints.</summary>
public sealed record DemoFile(string Path, string Description);

/// <summary>What the demo computed, besides the files.</summary>
public sealed record DemoSummary(IReadOnlyList<DemoFile> Files, PowerLaw Slope, IReadOnlyDictionary<string, double> KeptFractions);

/// <summary>
/// The README's main job for now: generate natural-image-like pictures, look at their spectra, and corrupt them with
/// MFM's radial masks and FOLK's Com/RCom masks, writing every picture and array to a folder.
/// </summary>
public static class FrequencyDemo
{
    /// <summary>Runs the demo into <paramref name="folder"/>; <paramref name="progress"/> hears about each step.</summary>
    public static DemoSummary Run(string folder, int count, int size, long seed, IProgress<string>? progress = null)
    {
        Directory.CreateDirectory(folder);
        var files = new List<DemoFile>();
        void Save(string name, string description, Action<string> write)
        {
            var path = Path.Combine(folder, name);
            write(path);
            files.Add(new DemoFile(path, description));
            progress?.Report($"wrote {name}");
        }

        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        progress?.Report($"generating {count} dead-leaves images of {size}×{size}");
        var images = DeadLeaves.Generate(count, size, generator);

        var strategies = new (string Name, string Label, IFrequencyMask Mask)[]
        {
            ("mfm-lowpass", "MFM low-pass", new RadialMask(new RadialMaskOptions { LowPassProbability = 1 }.ScaledTo(size))),
            ("mfm-highpass", "MFM high-pass", new RadialMask(new RadialMaskOptions { LowPassProbability = 0 }.ScaledTo(size))),
            ("folk-com", "FOLK Com τ=0.01", new ComMask(0.01)),
            ("folk-rcom", "FOLK RCom τ=0.01", new RComMask(0.01)),
        };
        var masks = new Dictionary<string, Tensor>();
        var filtered = new Dictionary<string, Tensor>();
        var kept = new Dictionary<string, double>();
        foreach (var (name, _, mask) in strategies)
        {
            var batch = mask.Sample(images, generator);
            masks[name] = batch.Masks;
            filtered[name] = FrequencyFilter.Apply(images, batch.Masks);
            kept[name] = batch.KeptFractions().Average();
        }

        var logMagnitude = Spectrum.LogMagnitude(Spectrum.Centered(images)).mean(new long[] { 1 });
        int shown = Math.Min(count, 4);
        Save("images.png", $"the {count} generated images", p => WritePng(p, RgbImage.Grid(Tiles(images, count), columns: Math.Min(count, 8))));
        Save("spectra.png", "their centred log-magnitude spectra (channel mean), DC in the middle",
            p => WritePng(p, RgbImage.Grid(Enumerable.Range(0, count).Select(i => RgbImage.Heatmap(logMagnitude[i])).ToList(), Math.Min(count, 8))));
        Save("corruptions.png", $"rows: the first {shown} images; columns: original, spectrum, " + string.Join(", ", strategies.Select(s => s.Label)),
            p => WritePng(p, RgbImage.Grid(Enumerable.Range(0, shown).SelectMany(i =>
                new[] { Tile(images, i), RgbImage.Heatmap(logMagnitude[i]) }.Concat(strategies.Select(s => Tile(filtered[s.Name], i)))).ToList(),
                columns: 2 + strategies.Length)));
        Save("masks.png", "the masks of the same images (white = kept), columns as above without the first two",
            p => WritePng(p, RgbImage.Grid(Enumerable.Range(0, shown).SelectMany(i =>
                strategies.Select(s => RgbImage.Heatmap(masks[s.Name][i], Colormap.Gray, 0, 1))).ToList(), columns: strategies.Length)));

        Save("images.npy", "images, B×3×H×W float32 in [0,1]", p => Npy.Write(p, images));
        Save("spectra.npy", "log(1 + |X|) of the centred spectra, B×3×H×W float32",
            p => Npy.Write(p, Spectrum.LogMagnitude(Spectrum.Centered(images))));
        Save("masks.npz", "every mask, B×H×W float32 (1 = kept), one array per strategy", p => Npz.Write(p, masks));
        Save("filtered.npz", "every filtered batch, B×3×H×W float32", p => Npz.Write(p, filtered));

        var profile = RadialProfile.Compute(images);
        var fit = profile.FitPowerLaw(minRadius: 2, maxRadius: size / 4.0);
        Save("radial-profile.csv", "radially averaged power per ring (mean over images) and the fitted power law",
            p => AtomicFile.WriteAllText(p, ProfileCsv(profile, fit)));
        Save("summary.json", "what was generated and measured", p => AtomicFile.WriteAllText(p, JsonSerializer.Serialize(new
        {
            count, size, seed,
            powerLaw = new { slope = fit.Slope, rSquared = fit.RSquared, fittedRings = $"2..{size / 4}" },
            keptFractions = kept,
            files = files.Select(f => Path.GetFileName(f.Path)).ToArray(),
        }, new JsonSerializerOptions { WriteIndented = true })));
        return new DemoSummary(files, fit, kept);
    }

    static List<RgbImage> Tiles(Tensor batch, int count) => Enumerable.Range(0, count).Select(i => Tile(batch, i)).ToList();

    static RgbImage Tile(Tensor batch, int index) => RgbImage.FromTensor(batch[index]);

    static void WritePng(string path, RgbImage image) => AtomicFile.WriteAllBytes(path, Png.Encode(image));

    static string ProfileCsv(RadialProfile profile, PowerLaw fit)
    {
        var csv = new StringBuilder("radius,mean_power,power_law_fit\n");
        var mean = profile.MeanPower();
        for (int r = 0; r < profile.Radii.Length; r++)
        {
            var fitted = r == 0 ? "" : fit.Evaluate(r).ToString("R", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{r},{mean[r]:R},{fitted}\n");
        }
        return csv.ToString();
    }
}
