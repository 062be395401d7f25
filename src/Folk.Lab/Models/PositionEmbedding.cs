using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>A ViT's learned position embedding (class token first, then a square patch grid) moved to another grid.</summary>
public static class PositionEmbedding
{
    /// <summary>
    /// <paramref name="embedding"/> (1×(1+g²)×D) for a <paramref name="rows"/>×<paramref name="columns"/> grid: the class
    /// token's entry kept, the patch grid resized bicubically (align_corners false), as MFM's
    /// <c>interpolate_pos_embed</c> (models/utils.py, after DeiT) loads a checkpoint and DINO's
    /// <c>interpolate_pos_encoding</c> embeds smaller crops. A new tensor; the input is not changed.
    /// </summary>
    public static Tensor Resize(Tensor embedding, long rows, long columns)
    {
        if (embedding.dim() != 3 || embedding.shape[0] != 1)
            throw new ArgumentException($"a position embedding is 1×(1+g²)×D; got {Shape.Format(embedding)}.", nameof(embedding));
        long g = (long)Math.Round(Math.Sqrt(embedding.shape[1] - 1)), d = embedding.shape[2];
        if (g * g != embedding.shape[1] - 1)
            throw new ArgumentException($"a position embedding of {embedding.shape[1] - 1} patch positions is not a square grid.", nameof(embedding));
        using var scope = NewDisposeScope();
        var grid = embedding[.., 1..].reshape(1, g, g, d).permute(0, 3, 1, 2);
        var resized = nn.functional.interpolate(grid, new[] { rows, columns }, mode: InterpolationMode.Bicubic, align_corners: false);
        var patches = resized.permute(0, 2, 3, 1).reshape(1, rows * columns, d);
        return cat(new[] { embedding[.., ..1], patches }, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Moves a ViT's <c>pos_embed</c> in <paramref name="mapped"/> onto the grid of <paramref name="model"/>'s (name →
    /// shape) when the two differ, as MFM's fine-tuning load does (<see cref="Resize"/>);
    /// the replaced tensor is disposed. Returns what was done ("pos_embed: 14×14 → 4×4 patch grid"), or null when nothing was.
    /// </summary>
    public static string? Fit(Dictionary<string, Tensor> mapped, IReadOnlyDictionary<string, long[]> model)
    {
        if (!mapped.TryGetValue("pos_embed", out var saved) || !model.TryGetValue("pos_embed", out var target)) return null;
        if (saved.shape.SequenceEqual(target) || saved.dim() != 3 || target.Length != 3 || saved.shape[2] != target[2]) return null;
        long from = (long)Math.Round(Math.Sqrt(saved.shape[1] - 1)), to = (long)Math.Round(Math.Sqrt(target[1] - 1));
        if (from * from != saved.shape[1] - 1 || to * to != target[1] - 1) return null;
        using (var scope = NewDisposeScope())
            mapped["pos_embed"] = Resize(saved.to(ScalarType.Float32), to, to).to(saved.dtype).MoveToOuterDisposeScope();
        saved.Dispose();
        return $"pos_embed: {from}×{from} → {to}×{to} patch grid (bicubic)";
    }
}
