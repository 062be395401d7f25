using Folk.Lab.Models;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation;

/// <summary>Which token a probe reads from a ViT.</summary>
public enum ReadoutToken
{
    /// <summary>The mean of the patch tokens (the [CLS] token left out), as MFM's fine-tuning pools and as BEiT's
    /// linear probe reads (BEiT, arXiv 2106.08254, §3.3 and Appendix: average of patch tokens).</summary>
    PatchMean,

    /// <summary>The [CLS] token (MAE's linear probe, main_linprobe.py without --global_pool; the token FOLK distils).</summary>
    Class,
}

/// <summary>
/// What a frozen-feature probe reads from an encoder: a token (patch mean or [CLS]) after the final norm, or after
/// block k without a norm (<see cref="VisionTransformer.IntermediateTokens"/>). MFM's last blocks act as a pixel
/// decoder for its linear head, so an intermediate block can read better than the last one, as BEiT found for its own
/// masked-prediction pre-training. A CNN always pools its final feature map.
/// </summary>
/// <param name="Token">Patch mean (default) or [CLS].</param>
/// <param name="Block">Read after this many blocks (1 … depth), before any norm; null = after the last block and the
/// final norm (the encoder's own output).</param>
public sealed record FeatureReadout(ReadoutToken Token = ReadoutToken.PatchMean, int? Block = null)
{
    /// <summary>The default: the final norm's mean patch token, what the pre-trained encoder's <c>Pooled</c> gives.</summary>
    public static FeatureReadout Default { get; } = new();

    /// <summary>"patch-mean", "cls@6", … for tables and result files.</summary>
    public override string ToString() => (Token == ReadoutToken.PatchMean ? "patch-mean" : "cls") + (Block is { } b ? $"@{b}" : "");

    /// <summary>Parses <see cref="ToString"/>'s form ("patch-mean", "cls", "cls@6", "patch-mean@9").</summary>
    public static FeatureReadout Parse(string text)
    {
        var parts = text.Split('@');
        var token = parts[0] switch
        {
            "patch-mean" or "mean" => ReadoutToken.PatchMean,
            "cls" => ReadoutToken.Class,
            _ => throw new FormatException($"Readout '{text}': the token must be 'patch-mean' or 'cls', optionally followed by @BLOCK (e.g. cls@6)."),
        };
        if (parts.Length == 1) return new FeatureReadout(token);
        if (parts.Length == 2 && int.TryParse(parts[1], out int block) && block > 0) return new FeatureReadout(token, block);
        throw new FormatException($"Readout '{text}': the block after '@' must be a positive integer (e.g. cls@6).");
    }

    /// <summary>The B×F features of normalised <paramref name="images"/> under this readout.</summary>
    public Tensor Read(Encoder encoder, Tensor images)
    {
        if (encoder is not VisionTransformer vit)
        {
            if (this != Default)
                throw new ArgumentException($"Readout {this} needs a ViT; a {encoder.GetType().Name} has no tokens and always pools its final feature map.");
            return encoder.Pooled(images);
        }
        using var scope = NewDisposeScope();
        if (Block is { } block && block > vit.Config.Depth)
            throw new ArgumentOutOfRangeException(nameof(Block), block, $"The encoder has {vit.Config.Depth} blocks; the readout asks for block {block}.");
        var tokens = Block is { } k ? vit.IntermediateTokens(images, k) : vit.Tokens(images);
        var features = Token == ReadoutToken.Class ? tokens[.., 0] : tokens[.., 1..].mean(new long[] { 1 });
        return features.MoveToOuterDisposeScope();
    }
}
