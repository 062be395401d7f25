using Folk.Lab.IO;
using Folk.Lab.Models;
using Folk.Lab.Training;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation;

/// <summary>
/// A weights file seen from downstream, as <see cref="PretrainedRun"/> is a run folder: the official MFM checkpoints
/// (<c>{"model": {"encoder.*", "decoder.*"}, …}</c>), timm's and torchvision's ViT and ResNet-50 state dicts, or a
/// Folk.Lab export, as <c>.pth</c>, <c>.safetensors</c> or <c>.npz</c>. The names are mapped by
/// <see cref="StateDictMap"/> and the architecture read off the shapes (<see cref="StateDictArchitecture"/>).
/// </summary>
/// <remarks>
/// Loading follows MFM's <c>load_pretrained</c> (utils.py) as <see cref="PretrainedRun"/> does: the encoder's keys
/// only, a classifier in the file (<c>head</c>, <c>fc_norm</c>, torchvision's <c>fc</c>) left out and the
/// fine-tuning model's fresh, the ViT's final <c>norm</c> dropped for the fine-tuning form, and <c>pos_embed</c> resized
/// bicubically when the model's grid differs (<c>interpolate_pos_embed</c>). Every other key must fit exactly, unlike the
/// reference's <c>strict=False</c>: a half-loaded backbone would pass for a pre-trained one. A checkpoint that pickles
/// other objects (MFM's saves its yacs config) is refused as <c>torch.load(weights_only=True)</c> refuses it, with the
/// one <c>folk-lab weights convert --skip-objects</c> command that keeps only its weights.
/// </remarks>
public sealed class PretrainedWeights : IPretrainedEncoder
{
    /// <summary>The file.</summary>
    public string File { get; }

    /// <inheritdoc/>
    public string Location => File;

    /// <summary>Whose names the file carries.</summary>
    public StateDictLayout Layout { get; }

    /// <summary>The method row: the layout and the file's name ("mfm:mfm_vit_base.pth"), so that results of official
    /// weights never pool with a Folk.Lab run of the same method.</summary>
    public string Method { get; }

    /// <inheritdoc/>
    public string Model { get; }

    /// <inheritdoc/>
    public int ImageSize { get; }

    /// <inheritdoc/>
    public int? PatchSize { get; }

    /// <inheritdoc/>
    public int? Depth { get; }

    /// <summary>What of the file is not loaded, each with its reason: MFM's decoder, a checkpoint's optimizer and epoch,
    /// a classifier head, timm's k bias.</summary>
    public IReadOnlyList<string> LeftOut { get; }

    PretrainedWeights(string file, StateDictLayout layout, StateDictArchitecture architecture, IReadOnlyList<string> leftOut)
    {
        File = file;
        Layout = layout;
        Method = $"{LayoutName(layout)}:{Path.GetFileName(file)}";
        (Model, ImageSize, PatchSize, Depth) = (architecture.Model, architecture.ImageSize, architecture.PatchSize, architecture.Depth);
        LeftOut = leftOut;
    }

    /// <summary>Opens <paramref name="file"/>: reads it once to learn its layout and architecture.</summary>
    /// <exception cref="IO.Pth.UnsafePickleException">The file pickles something other than weights.</exception>
    /// <exception cref="InvalidDataException">It is damaged, or its weights fit no Folk.Lab encoder.</exception>
    public static PretrainedWeights Open(string file)
    {
        using var mapped = Mapped(file);
        var shapes = mapped.Tensors.ToDictionary(t => t.Key, t => t.Value.shape);
        return new PretrainedWeights(file, mapped.Layout, StateDictArchitecture.Infer(shapes, file), mapped.LeftOut);
    }

    /// <summary>The file's SHA-256, lower-case hex.</summary>
    public string Sha256() => RunFolderFiles.Sha256(File);

    /// <inheritdoc/>
    public EncoderSource LoadInto(Encoder model, EncoderPart part = EncoderPart.Exported)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (part != EncoderPart.Exported)
            throw new ArgumentException($"{File} holds one encoder; --part {part.ToString().ToLowerInvariant()} applies to FOLK run folders only.", nameof(part));
        using var mapped = Mapped(File);
        if (EncoderLoadRules.DropsFinalNorm(model))
            mapped.Remove(EncoderLoadRules.IsFinalNorm);                                 // the reference discards the final norm
        PositionEmbedding.Fit(mapped.Tensors, model.state_dict().ToDictionary(e => e.Key, e => e.Value.shape));
        StateDicts.CopyInto(model, mapped.Tensors, $"{File} ({LayoutName(Layout)} names)", EncoderLoadRules.IsClassifier);
        return new EncoderSource(File, File, Sha256(), Method, Model);
    }

    /// <summary>The file's state dict under Folk.Lab's names, without a classifier head, and what was left out.</summary>
    static MappedWeights Mapped(string file)
    {
        var (tensors, skipped) = WeightFile.Read(file);
        try
        {
            var layout = StateDictMap.Detect(tensors.Keys);
            var mapping = StateDictMap.Apply(tensors, layout);
            var result = new MappedWeights(mapping.Tensors, layout, skipped.Concat(mapping.Dropped).ToList());
            result.Remove(EncoderLoadRules.IsClassifier, "a classifier head (fine-tuning starts a fresh one)");
            return result;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    static string LayoutName(StateDictLayout layout) => layout switch
    {
        StateDictLayout.Mfm => "mfm",
        StateDictLayout.TimmVit => "timm-vit",
        StateDictLayout.Torchvision => "torchvision",
        _ => "folk-lab",
    };

    /// <summary>Mapped tensors (owned: disposed with this) and the list of what was left out.</summary>
    sealed class MappedWeights(Dictionary<string, Tensor> tensors, StateDictLayout layout, List<string> leftOut) : IDisposable
    {
        public Dictionary<string, Tensor> Tensors { get; } = tensors;
        public StateDictLayout Layout { get; } = layout;
        public List<string> LeftOut { get; } = leftOut;

        public void Remove(Func<string, bool> match, string? reason = null)
        {
            foreach (var key in Tensors.Keys.Where(match).ToList())
            {
                Tensors[key].Dispose();
                Tensors.Remove(key);
                if (reason is not null) LeftOut.Add($"{key}: {reason}");
            }
        }

        public void Dispose()
        {
            foreach (var t in Tensors.Values) t.Dispose();
        }
    }
}
