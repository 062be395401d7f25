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
    /// a classifier head, timm's k bias (from the names and shapes: see <see cref="Open"/>).</summary>
    public IReadOnlyList<string> LeftOut { get; }

    PretrainedWeights(string file, StateDictLayout layout, StateDictArchitecture architecture, IReadOnlyList<string> leftOut)
    {
        File = file;
        Layout = layout;
        Method = $"{LayoutName(layout)}:{Path.GetFileName(file)}";
        (Model, ImageSize, PatchSize, Depth) = (architecture.Model, architecture.ImageSize, architecture.PatchSize, architecture.Depth);
        LeftOut = leftOut;
    }

    /// <summary>Opens <paramref name="file"/>: learns its layout and architecture from the names and shapes in its header
    /// or pickle; the weights are read by <see cref="LoadInto"/> alone.</summary>
    /// <exception cref="IO.Pth.UnsafePickleException">The file pickles something other than weights.</exception>
    /// <exception cref="InvalidDataException">It is damaged, or its weights fit no Folk.Lab encoder.</exception>
    public static PretrainedWeights Open(string file)
    {
        var (shapes, skipped) = WeightFile.ReadShapes(file);
        var layout = StateDictMap.Detect(shapes.Keys);
        var (mapped, dropped) = StateDictMap.ApplyToShapes(shapes, layout);
        var classifier = mapped.Keys.Where(EncoderLoadRules.IsClassifier).ToList();
        foreach (var key in classifier) mapped.Remove(key);
        var leftOut = skipped.Concat(dropped).Concat(classifier.Select(k => $"{k}: {ClassifierLeftOut}")).ToList();
        return new PretrainedWeights(file, layout, StateDictArchitecture.Infer(mapped, file), leftOut);
    }

    /// <summary>The file's SHA-256, lower-case hex.</summary>
    public string Sha256() => RunFolderFiles.Sha256(File);

    /// <inheritdoc/>
    public EncoderSource LoadInto(Encoder model, EncoderPart part = EncoderPart.Exported)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (part != EncoderPart.Exported)
            throw new ArgumentException($"{File} holds one encoder; --part {part.ToString().ToLowerInvariant()} applies to FOLK run folders only.", nameof(part));
        using var mapped = new MappedWeights(File, Layout);
        if (EncoderLoadRules.DropsFinalNorm(model))
            mapped.Remove(EncoderLoadRules.IsFinalNorm);                                 // the reference discards the final norm
        PositionEmbedding.Fit(mapped.Tensors, model.state_dict().ToDictionary(e => e.Key, e => e.Value.shape));
        StateDicts.CopyInto(model, mapped.Tensors, $"{File} ({LayoutName(Layout)} names)", EncoderLoadRules.IsClassifier);
        return new EncoderSource(File, File, Sha256(), Method, Model);
    }

    const string ClassifierLeftOut = "a classifier head (fine-tuning starts a fresh one)";

    static string LayoutName(StateDictLayout layout) => layout switch
    {
        StateDictLayout.Mfm => "mfm",
        StateDictLayout.TimmVit => "timm-vit",
        StateDictLayout.Torchvision => "torchvision",
        _ => "folk-lab",
    };

    /// <summary>The file's weights under Folk.Lab's names without a classifier head, read whole; owned, disposed with
    /// this.</summary>
    sealed class MappedWeights : IDisposable
    {
        public MappedWeights(string file, StateDictLayout layout)
        {
            var (read, _) = WeightFile.Read(file);
            try { Tensors = StateDictMap.Apply(read, layout).Tensors; }
            finally { foreach (var t in read.Values) t.Dispose(); }
            Remove(EncoderLoadRules.IsClassifier);
        }

        public Dictionary<string, Tensor> Tensors { get; }

        public void Remove(Func<string, bool> match)
        {
            foreach (var key in Tensors.Keys.Where(match).ToList())
            {
                Tensors[key].Dispose();
                Tensors.Remove(key);
            }
        }

        public void Dispose()
        {
            foreach (var t in Tensors.Values) t.Dispose();
        }
    }
}
