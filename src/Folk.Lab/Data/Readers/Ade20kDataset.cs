namespace Folk.Lab.Data.Readers;

/// <summary>The two splits of ADEChallengeData2016.</summary>
public enum Ade20kSplit
{
    /// <summary><c>images/training</c> with <c>annotations/training</c>: 20,210 images.</summary>
    Training,

    /// <summary><c>images/validation</c> with <c>annotations/validation</c>: 2,000 images (the benchmark's test set).</summary>
    Validation,
}

/// <summary>
/// ADE20K scene parsing as the MIT Scene Parsing Benchmark ships it (ADEChallengeData2016): <c>images/&lt;split&gt;/*.jpg</c>,
/// each with the 8-bit class map <c>annotations/&lt;split&gt;/&lt;same name&gt;.png</c>. Every sample carries its map in
/// <see cref="ImageSample.Segmentation"/>, read as mmsegmentation reads it with <c>reduce_zero_label=True</c>
/// (open-mmlab/mmsegmentation <c>mmseg/datasets/ade.py</c>, <c>LoadAnnotations</c>): value 0 ("other", no class)
/// becomes <see cref="SegmentationLabels.Ignore"/> and the classes 1…150 become 0…149.
/// </summary>
/// <remarks>
/// <para>Images are listed once, at construction, in ordinal order of their file names (mmsegmentation sorts them); an
/// image without its map is an error naming the missing file. The photographs carry no image-level class, so
/// <see cref="IImageDataset.Classes"/> is empty and every label is −1; the 150 pixel classes are
/// <see cref="PixelClasses"/>.</para>
/// <para>A map that is not a single-channel image (a colour or palette PNG), holds a value above 150, or differs in size
/// from its photograph throws <see cref="ImageDecodeException"/> naming the map, like an undecodable file. Thread-safe.</para>
/// </remarks>
public sealed class Ade20kDataset : IImageDataset
{
    /// <summary>The largest value of an annotation: 150 classes, numbered from 1 (0 is "other").</summary>
    public const int ClassCount = 150;

    /// <summary>The 150 classes in label order (mmsegmentation <c>ADE20KDataset.METAINFO['classes']</c>).</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        "wall", "building", "sky", "floor", "tree", "ceiling", "road", "bed", "windowpane", "grass", "cabinet", "sidewalk",
        "person", "earth", "door", "table", "mountain", "plant", "curtain", "chair", "car", "water", "painting", "sofa",
        "shelf", "house", "sea", "mirror", "rug", "field", "armchair", "seat", "fence", "desk", "rock", "wardrobe", "lamp",
        "bathtub", "railing", "cushion", "base", "box", "column", "signboard", "chest of drawers", "counter", "sand", "sink",
        "skyscraper", "fireplace", "refrigerator", "grandstand", "path", "stairs", "runway", "case", "pool table", "pillow",
        "screen door", "stairway", "river", "bridge", "bookcase", "blind", "coffee table", "toilet", "flower", "book", "hill",
        "bench", "countertop", "stove", "palm", "kitchen island", "computer", "swivel chair", "boat", "bar", "arcade machine",
        "hovel", "bus", "towel", "light", "truck", "tower", "chandelier", "awning", "streetlight", "booth",
        "television receiver", "airplane", "dirt track", "apparel", "pole", "land", "bannister", "escalator", "ottoman", "bottle",
        "buffet", "poster", "stage", "van", "ship", "fountain", "conveyer belt", "canopy", "washer", "plaything",
        "swimming pool", "stool", "barrel", "basket", "waterfall", "tent", "bag", "minibike", "cradle", "oven", "ball", "food",
        "step", "tank", "trade name", "microwave", "pot", "animal", "bicycle", "lake", "dishwasher", "screen", "blanket",
        "sculpture", "hood", "sconce", "vase", "traffic light", "tray", "ashcan", "fan", "pier", "crt screen", "plate",
        "monitor", "bulletin board", "shower", "radiator", "glass", "clock", "flag",
    ];

    readonly (string Image, string Annotation)[] _samples;

    /// <summary>The ADEChallengeData2016 folder (full path).</summary>
    public string Root { get; }

    /// <summary>The split read.</summary>
    public Ade20kSplit Split { get; }

    /// <summary>Every sample's photograph and class map (full paths), in index order.</summary>
    public IReadOnlyList<(string Image, string Annotation)> Samples => _samples;

    /// <inheritdoc/>
    public int Count => _samples.Length;

    /// <summary>No image-level classes: ADE20K labels pixels (see <see cref="PixelClasses"/>).</summary>
    public IReadOnlyList<string> Classes { get; } = [];

    /// <summary>The classes of the per-pixel labels 0…149.</summary>
    public IReadOnlyList<string> PixelClasses => ClassNames;

    /// <summary>
    /// Lists the split under <paramref name="root"/> (the ADEChallengeData2016 folder). Throws
    /// <see cref="DirectoryNotFoundException"/> for a missing folder and <see cref="InvalidDataException"/> when the
    /// split holds no image or an image has no class map.
    /// </summary>
    public Ade20kDataset(string root, Ade20kSplit split)
    {
        ArgumentNullException.ThrowIfNull(root);
        Root = Path.GetFullPath(root);
        Split = split;
        string folder = split == Ade20kSplit.Training ? "training" : "validation";
        string images = Path.Combine(Root, "images", folder), annotations = Path.Combine(Root, "annotations", folder);
        foreach (var dir in new[] { images, annotations })
            if (!Directory.Exists(dir))
                throw new DirectoryNotFoundException($"{dir}: no such folder (ADEChallengeData2016 holds images/{{training,validation}} and annotations/{{training,validation}}; give that folder as the root).");
        var files = Directory.EnumerateFiles(images).Where(f => Path.GetExtension(f).Equals(".jpg", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new InvalidDataException($"{images}: no .jpg image.");
        _samples = files.Select(f => (f, Path.Combine(annotations, Path.GetFileNameWithoutExtension(f) + ".png"))).ToArray();
        var missing = _samples.FirstOrDefault(s => !File.Exists(s.Annotation));
        if (missing.Image is not null)
            throw new InvalidDataException($"{missing.Annotation}: the class map of {missing.Image} is missing ({_samples.Count(s => !File.Exists(s.Annotation))} image(s) of {_samples.Length} have none).");
    }

    /// <inheritdoc/>
    public int LabelOf(int index) => -1;

    /// <inheritdoc/>
    public ImageSample Get(int index)
    {
        if ((uint)index >= (uint)_samples.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {_samples.Length}); got {index}.");
        var (imagePath, annotationPath) = _samples[index];
        var image = ImageDecoder.Decode(ImageDecoder.ReadAll(imagePath), imagePath);
        try
        {
            var map = ReadAnnotation(annotationPath);
            if (map.shape[0] != image.shape[1] || map.shape[1] != image.shape[2])
            {
                var size = $"{map.shape[1]}×{map.shape[0]}";
                map.Dispose();
                throw new ImageDecodeException(annotationPath, $"the class map is {size} pixels but its image {Path.GetFileName(imagePath)} is {image.shape[2]}×{image.shape[1]}");
            }
            return new ImageSample(image, -1, imagePath, map);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads an ADE20K class map: an 8-bit single-channel PNG of values 0…150, as an H×W int64 tensor with 0 mapped to
    /// <see cref="SegmentationLabels.Ignore"/> and v to v − 1 (<c>reduce_zero_label</c>).
    /// </summary>
    /// <exception cref="ImageDecodeException">The file does not decode, is not single-channel, or holds a value above 150.</exception>
    public static TorchSharp.torch.Tensor ReadAnnotation(string path)
    {
        using var pixels = ImageDecoder.DecodePixels(ImageDecoder.ReadAll(path), path);
        int height = (int)pixels.shape[0], width = (int)pixels.shape[1];
        var rgba = pixels.data<byte>().ToArray();
        var labels = new long[height * width];
        for (int i = 0; i < labels.Length; i++)
        {
            byte v = rgba[4 * i];
            if (rgba[4 * i + 1] != v || rgba[4 * i + 2] != v)
                throw new ImageDecodeException(path, $"is a colour image (pixel {i % width},{i / width} is RGB {v},{rgba[4 * i + 1]},{rgba[4 * i + 2]}), not an 8-bit class map; ADE20K annotations are single-channel PNGs of class indices");
            if (v > ClassCount)
                throw new ImageDecodeException(path, $"holds the value {v} at pixel {i % width},{i / width}, but ADE20K's classes are 1…{ClassCount} (0 = other)");
            labels[i] = v == 0 ? SegmentationLabels.Ignore : v - 1;
        }
        return TorchSharp.torch.tensor(labels, new long[] { height, width });
    }
}
