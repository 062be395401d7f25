using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>A pre-norm transformer block: x + attn(norm1(x)), then x + mlp(norm2(x)); LayerNorm eps 1e-6, no LayerScale
/// (MFM INIT_VALUES = None).</summary>
public sealed class TransformerBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly Attention attn;
    private readonly DropPath drop_path;
    private readonly LayerNorm norm2;
    private readonly Mlp mlp;

    /// <summary>Creates a block of width <paramref name="dim"/>.</summary>
    public TransformerBlock(int dim, int heads, double mlpRatio, double dropPath) : base(nameof(TransformerBlock))
    {
        norm1 = nn.LayerNorm(dim, eps: 1e-6);
        attn = new Attention(dim, heads);
        drop_path = new DropPath(dropPath);
        norm2 = nn.LayerNorm(dim, eps: 1e-6);
        mlp = new Mlp(dim, (int)(dim * mlpRatio));
        RegisterComponents();
    }

    /// <summary>The attention layer.</summary>
    public Attention Attention => attn;

    /// <summary>The feed-forward layer.</summary>
    public Mlp Mlp => mlp;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x + Autocast.Float(drop_path.forward(attn.forward(norm1.forward(x))));
        var y = h + Autocast.Float(drop_path.forward(mlp.forward(norm2.forward(h))));
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>This block's attention weights for input <paramref name="x"/> (B×heads×N×N).</summary>
    public Tensor AttentionWeights(Tensor x)
    {
        using var normed = norm1.forward(x);
        return attn.Weights(normed);
    }
}
