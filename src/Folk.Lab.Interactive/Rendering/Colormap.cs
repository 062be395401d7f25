namespace Folk.Lab.Interactive.Rendering;

/// <summary>
/// Maps values in [0,1] to colours whose brightness rises steadily, so that a heatmap reads the same in colour, in
/// greyscale and to colour-blind eyes. Built from Green's cubehelix (2011): a helix through the RGB cube around the
/// grey diagonal, defined by a formula rather than a table.
/// </summary>
public sealed class Colormap
{
    readonly byte[] _lut;   // 256 × RGB

    /// <summary>The name shown in legends.</summary>
    public string Name { get; }

    Colormap(string name, double start, double rotations, double hue, double gamma, double lightFrom, double lightTo)
    {
        Name = name;
        _lut = new byte[256 * 3];
        for (int i = 0; i < 256; i++)
        {
            double lambda = Math.Pow(lightFrom + (lightTo - lightFrom) * i / 255.0, gamma);
            double phi = 2 * Math.PI * (start / 3 + rotations * i / 255.0);
            double amplitude = hue * lambda * (1 - lambda) / 2;
            double cos = Math.Cos(phi), sin = Math.Sin(phi);
            _lut[3 * i] = ToByte(lambda + amplitude * (-0.14861 * cos + 1.78277 * sin));
            _lut[3 * i + 1] = ToByte(lambda + amplitude * (-0.29227 * cos - 0.90649 * sin));
            _lut[3 * i + 2] = ToByte(lambda + amplitude * (1.97294 * cos));
        }
    }

    /// <summary>Dark purple through red and orange to pale yellow: the default for spectra.</summary>
    public static Colormap Spectral { get; } = new("folk-heat", start: 0.5, rotations: -0.8, hue: 1.6, gamma: 1.0, lightFrom: 0.04, lightTo: 0.96);

    /// <summary>Green's original cubehelix (start 0.5, −1.5 rotations, hue 1).</summary>
    public static Colormap Cubehelix { get; } = new("cubehelix", start: 0.5, rotations: -1.5, hue: 1.0, gamma: 1.0, lightFrom: 0, lightTo: 1);

    /// <summary>
    /// A cyclic map for angles: one full turn of hue at constant lightness 0.55, so −π and π share a colour and no
    /// direction looks brighter than another.
    /// </summary>
    public static Colormap Cyclic { get; } = new("cyclic", start: 0.5, rotations: 1.0, hue: 1.6, gamma: 1.0, lightFrom: 0.55, lightTo: 0.55);

    /// <summary>Black to white.</summary>
    public static Colormap Gray { get; } = new("gray", start: 0, rotations: 0, hue: 0, gamma: 1.0, lightFrom: 0, lightTo: 1);

    /// <summary>The colour of <paramref name="value"/> (clamped to [0,1]; NaN maps to 0).</summary>
    public (byte R, byte G, byte B) this[double value]
    {
        get
        {
            int i = double.IsNaN(value) ? 0 : (int)Math.Round(Math.Clamp(value, 0, 1) * 255);
            return (_lut[3 * i], _lut[3 * i + 1], _lut[3 * i + 2]);
        }
    }

    /// <summary>Perceived brightness (Rec. 709 luma) of entry <paramref name="index"/> of the 256-entry table.</summary>
    public double Luma(int index) => (0.2126 * _lut[3 * index] + 0.7152 * _lut[3 * index + 1] + 0.0722 * _lut[3 * index + 2]) / 255;

    static byte ToByte(double v) => (byte)Math.Round(Math.Clamp(v, 0, 1) * 255);
}
