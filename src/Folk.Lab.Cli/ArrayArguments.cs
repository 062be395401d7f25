using Folk.Lab.IO;
using static TorchSharp.torch;

namespace Folk.Lab.Cli;

/// <summary>Reads .npy arguments and checks them, naming the option and the file in every complaint.</summary>
internal static class ArrayArguments
{
    /// <summary>A B×C×H×W floating-point batch; with <paramref name="unitRange"/>, every value in [0,1].</summary>
    public static Tensor Images(string option, FileInfo file, bool unitRange)
    {
        var x = Load(option, file);
        if (x.dim() != 4 || !is_floating_point(x))
            throw new ArgumentException($"{option} {file}: expected a B×C×H×W float32 array; got shape {Describe(x)}.");
        if (unitRange && x.numel() > 0)
        {
            float min = x.min().item<float>(), max = x.max().item<float>();
            if (min < 0 || max > 1)
                throw new ArgumentException(
                    $"{option} {file}: images must be un-normalised pixels in [0,1]; found values in [{min:g4}, {max:g4}] (pass --no-clamp to filter normalised images).");
        }
        return x.to(ScalarType.Float32);
    }

    /// <summary>A mask: H×W, B×H×W, B×1×H×W or B×C×H×W, any real or bool dtype, returned as float32.</summary>
    public static Tensor Mask(string option, FileInfo file)
    {
        var m = Load(option, file);
        if (m.dim() < 2 || m.dim() > 4)
            throw new ArgumentException($"{option} {file}: expected an H×W, B×H×W or B×C×H×W mask; got shape {Describe(m)}.");
        return m.to(ScalarType.Float32);
    }

    /// <summary>Any floating-point array of four dimensions (predictions, targets).</summary>
    public static Tensor Batch(string option, FileInfo file)
    {
        var x = Load(option, file);
        if (x.dim() != 4 || !is_floating_point(x))
            throw new ArgumentException($"{option} {file}: expected a B×C×H×W floating-point array; got shape {Describe(x)}.");
        return x;
    }

    static Tensor Load(string option, FileInfo file)
    {
        try { return Npy.Read(file.FullName); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{option}: {e.Message}", e); }
    }

    static string Describe(Tensor t) => $"[{string.Join("×", t.shape)}] {t.dtype}";
}
