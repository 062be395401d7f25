using System.CommandLine;
using Folk.Lab.Frequency;
using Folk.Lab.IO;
using Folk.Lab.Losses;
using Folk.Lab.Masks;
using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab freq</c>: the frequency toolkit through .npy files, so that any language can compare with it or borrow it.
/// </summary>
internal static class FreqCommand
{
    public static Command Create(CliConsole console) => new("freq", "The frequency toolkit on .npy files (masks, filtering, loss, spectra, FOLK masks).")
    {
        Mask(console), Filter(console), Loss(console), SpectrumVerb(console), Adaptive(console),
    };

    static Command Mask(CliConsole console)
    {
        var kind = Options.Choice("--kind", "lowpass keeps d < r1 (and d >= r2); highpass keeps the rest; band keeps r1 <= d < r2", null, "lowpass", "highpass", "band");
        var size = Options.Integer("--size", "Image side N (the mask is N×N)", 224, 1, 16384);
        var r1 = Options.Number("--r1", "Radius r1 in cycles per image (MFM: 16)", 16, 0, minExclusive: true);
        var r2 = new Option<double?>("--r2") { Description = "Outer radius r2 (> r1); required for band" };
        var output = Options.OutputFile("--out", "Where to write the N×N float32 mask, 1 = kept");
        var command = new Command("mask", "Write one of MFM's radial masks (shifted layout, 1 = kept).") { kind, size, r1, r2, output };
        command.SetAction(p =>
        {
            double? outer = p.GetValue(r2);
            string k = p.GetValue(kind)!;
            if (outer is { } o && !(o > p.GetValue(r1)))
                throw new ArgumentException($"--r2 {o} must be > --r1 {p.GetValue(r1)}.");
            if (k == "band" && outer is null) throw new ArgumentException("--kind band needs --r2 (the outer radius).");
            using var m = RadialMask.LowPassBranch(p.GetValue(size), p.GetValue(r1), outer);
            using var result = k == "lowpass" ? m.alias() : Folk.Lab.Masks.Mask.Complement(m);
            Npy.Write(p.GetValue(output)!.FullName, result);
            console.Out.WriteLine($"wrote {p.GetValue(output)}: {k} mask {p.GetValue(size)}×{p.GetValue(size)}, {result.sum().item<float>():F0} frequencies kept");
            return 0;
        });
        return command;
    }

    static Command Filter(CliConsole console)
    {
        var images = Options.InputFile("--images", "B×C×H×W float32 images in [0,1]");
        var mask = Options.InputFile("--mask", "Mask, 1 = kept: H×W, B×H×W, B×1×H×W or B×C×H×W");
        var noClamp = new Option<bool>("--no-clamp") { Description = "Do not clamp to [0,1] (filtering normalised images)" };
        var output = Options.OutputFile("--out", "Where to write the filtered B×C×H×W float32 images");
        var command = new Command("filter", "Filter images with a mask exactly as MFM corrupts them.") { images, mask, noClamp, output };
        command.SetAction(p =>
        {
            bool clamp = !p.GetValue(noClamp);
            using var x = ArrayArguments.Images("--images", p.GetValue(images)!, unitRange: clamp);
            using var m = ArrayArguments.Mask("--mask", p.GetValue(mask)!);
            using var y = FrequencyFilter.Apply(x, m, clamp);
            Npy.Write(p.GetValue(output)!.FullName, y);
            console.Out.WriteLine($"wrote {p.GetValue(output)}: {string.Join("×", y.shape)} filtered images");
            return 0;
        });
        return command;
    }

    static Command Loss(CliConsole console)
    {
        var pred = Options.InputFile("--pred", "B×C×H×W prediction");
        var target = Options.InputFile("--target", "B×C×H×W target");
        var mask = Options.InputFile("--mask", "Mask the input was filtered with (1 = kept): the loss then averages over the removed frequencies (MFM 'masked')", required: false);
        var gamma = Options.Number("--gamma", "Exponent γ of the frequency distance (MFM: 1)", 1.0, 0, minExclusive: true);
        var focal = Options.Choice("--focal", "Focal spectrum weight", "off", "off", "image", "batch");
        var focalGamma = Options.Number("--focal-gamma", "Exponent of the focal weight", 1.0, 0, minExclusive: true);
        var logFocal = new Option<bool>("--log-focal") { Description = "log(w + 1) of the focal weight" };
        var patch = Options.Integer("--patch-factor", "Split images into P×P tiles", 1, 1);
        var average = new Option<bool>("--average-spectrum") { Description = "Average spectra over the batch first" };
        var map = new Option<bool>("--map") { Description = "Write the unreduced B×P×C×h×w map instead of the scalar" };
        var output = Options.OutputFile("--out", "Where to write the loss (0-d float32) or the map");
        var command = new Command("loss", "MFM's frequency loss between two batches.")
        {
            pred, target, mask, gamma, focal, focalGamma, logFocal, patch, average, map, output,
        };
        command.SetAction(p =>
        {
            var options = new FrequencyLossOptions
            {
                Gamma = p.GetValue(gamma),
                Focal = p.GetValue(focal) switch { "image" => FocalWeighting.PerImage, "batch" => FocalWeighting.PerBatch, _ => FocalWeighting.Off },
                FocalGamma = p.GetValue(focalGamma),
                LogFocalWeight = p.GetValue(logFocal),
                PatchFactor = p.GetValue(patch),
                AverageSpectrum = p.GetValue(average),
            };
            using var a = ArrayArguments.Batch("--pred", p.GetValue(pred)!);
            using var b = ArrayArguments.Batch("--target", p.GetValue(target)!);
            var maskFile = p.GetValue(mask);
            using var m = maskFile is null ? null : ArrayArguments.Mask("--mask", maskFile);
            using var result = p.GetValue(map) ? FrequencyLoss.Map(a, b, options)
                : m is null ? FrequencyLoss.Mean(a, b, options) : FrequencyLoss.Masked(a, b, m, options);
            Npy.Write(p.GetValue(output)!.FullName, result);
            console.Out.WriteLine(result.dim() == 0
                ? $"wrote {p.GetValue(output)}: loss = {result.item<float>():R} ({(m is null ? "mean over all frequencies" : "masked: mean over removed frequencies")})"
                : $"wrote {p.GetValue(output)}: {string.Join("×", result.shape)} loss map");
            return 0;
        });
        return command;
    }

    static Command SpectrumVerb(CliConsole console)
    {
        var images = Options.InputFile("--images", "B×C×H×W images");
        var view = Options.Choice("--view", "What to write", "logmag", "logmag", "power", "phase", "real", "imag");
        var norm = Options.Choice("--norm", "FFT normalisation", "backward", "backward", "ortho");
        var radial = new Option<FileInfo?>("--radial") { Description = "Also write the B×R radially averaged power (ortho; rings r = 0…N/2−1)" };
        var output = Options.OutputFile("--out", "Where to write the centred B×C×H×W spectrum view (float32)");
        var command = new Command("spectrum", "Centred 2-D spectra of images.") { images, view, norm, radial, output };
        command.SetAction(p =>
        {
            using var x = ArrayArguments.Images("--images", p.GetValue(images)!, unitRange: false);
            using var spectrum = Spectrum.Centered(x, p.GetValue(norm) == "ortho" ? FFTNormType.Ortho : FFTNormType.Backward);
            using var result = p.GetValue(view) switch
            {
                "power" => Spectrum.Power(spectrum),
                "phase" => Spectrum.Phase(spectrum),
                "real" => spectrum.real.contiguous(),
                "imag" => spectrum.imag.contiguous(),
                _ => Spectrum.LogMagnitude(spectrum),
            };
            Npy.Write(p.GetValue(output)!.FullName, result.to(ScalarType.Float32));
            console.Out.WriteLine($"wrote {p.GetValue(output)}: {p.GetValue(view)} of {string.Join("×", result.shape)} centred spectra");
            if (p.GetValue(radial) is { } radialFile)
            {
                var profile = RadialProfile.Compute(x);
                using var power = tensor(profile.Power.SelectMany(r => r).ToArray(), new long[] { profile.Power.Length, profile.Radii.Length });
                Npy.Write(radialFile.FullName, power);
                var fit = profile.FitPowerLaw();
                console.Out.WriteLine($"wrote {radialFile}: radial power, {profile.Radii.Length} rings; power-law slope {fit.Slope:F2} (R² {fit.RSquared:F3})");
            }
            return 0;
        });
        return command;
    }

    static Command Adaptive(CliConsole console)
    {
        var images = Options.InputFile("--images", "B×C×H×W float32 images in [0,1]");
        var kind = Options.Choice("--kind", "com keeps the largest-magnitude frequencies; rcom removes them", null, "com", "rcom");
        var keep = Options.Number("--keep", "τ: keep fraction (or magnitude fraction, see --threshold)", 0.01, 0, true, 1, true);
        var threshold = Options.Choice("--threshold", "What τ thresholds (FOLK ambiguity #1)", "keep-fraction", "keep-fraction", "magnitude-fraction");
        var channels = Options.Choice("--channels", "Ranking across channels (FOLK ambiguity #2)", "shared", "shared", "per-channel", "luminance");
        var output = Options.OutputFile("--out", "Where to write the float32 masks (B×H×W, or B×C×H×W per channel), 1 = kept");
        var command = new Command("adaptive", "FOLK's Com / RCom masks of images.") { images, kind, keep, threshold, channels, output };
        command.SetAction(p =>
        {
            using var x = ArrayArguments.Images("--images", p.GetValue(images)!, unitRange: true);
            var options = new ComMaskOptions
            {
                Threshold = p.GetValue(threshold) == "magnitude-fraction" ? ComThreshold.MagnitudeFraction : ComThreshold.KeepFraction,
                Channels = p.GetValue(channels) switch { "per-channel" => ComChannels.PerChannel, "luminance" => ComChannels.Luminance, _ => ComChannels.Shared },
            };
            var taus = Enumerable.Repeat(p.GetValue(keep), (int)x.shape[0]).ToArray();
            using var com = ComMask.Compute(x, taus, options);
            using var masks = p.GetValue(kind) == "rcom" ? Folk.Lab.Masks.Mask.Complement(com) : com.alias();
            Npy.Write(p.GetValue(output)!.FullName, masks);
            using var kept = masks.flatten(1).mean(new long[] { 1 });
            console.Out.WriteLine($"wrote {p.GetValue(output)}: {string.Join("×", masks.shape)} {p.GetValue(kind)} masks, kept fraction {kept.mean().item<float>():P2} on average");
            return 0;
        });
        return command;
    }
}
