using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>
/// Multi-head self-attention with BEiT's biases: the qkv projection has no bias of its own; learnable q and v biases
/// are added and the k bias is fixed at zero (Jiahao000/MFM <c>models/vision_transformer.py</c>). Scale head_dim^−½.
/// </summary>
public sealed class Attention : nn.Module<Tensor, Tensor>
{
    private readonly Linear qkv;
    private readonly Parameter q_bias;
    private readonly Parameter v_bias;
    private readonly Linear proj;
    private readonly int _heads;

    /// <summary>Creates attention over <paramref name="dim"/>-wide tokens with <paramref name="heads"/> heads.</summary>
    public Attention(int dim, int heads) : base(nameof(Attention))
    {
        _heads = heads;
        qkv = nn.Linear(dim, dim * 3, hasBias: false);
        q_bias = nn.Parameter(zeros(dim));
        v_bias = nn.Parameter(zeros(dim));
        proj = nn.Linear(dim, dim);
        RegisterComponents();
    }

    /// <summary>The output projection (its weight is rescaled at initialisation).</summary>
    public Linear Projection => proj;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = QueryKeyValue(x);
        var attended = nn.functional.scaled_dot_product_attention(q, k, v);     // B×h×N×d, softmax(qkᵀ/√d)·v
        long b = x.shape[0], n = x.shape[1];
        var merged = attended.transpose(1, 2).reshape(b, n, -1);
        return Autocast.Linear(merged, proj.weight!, proj.bias).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The attention weights softmax(q·kᵀ/√d), B×heads×N×N, float32, for visualisation. Computed beside the forward
    /// pass from the same q and k; asking for them changes nothing in the model's output.
    /// </summary>
    public Tensor Weights(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (q, k, _) = QueryKeyValue(x);
        double scale = 1.0 / Math.Sqrt(q.shape[^1]);
        var logits = Autocast.Float(q).matmul(Autocast.Float(k).transpose(-2, -1)) * scale;
        return logits.softmax(-1).MoveToOuterDisposeScope();
    }

    (Tensor Q, Tensor K, Tensor V) QueryKeyValue(Tensor x)
    {
        long b = x.shape[0], n = x.shape[1];
        var bias = cat(new Tensor[] { q_bias, zeros_like(v_bias), v_bias });
        var projected = Autocast.Linear(x, qkv.weight!, bias).reshape(b, n, 3, _heads, -1).permute(2, 0, 3, 1, 4);
        return (projected[0], projected[1], projected[2]);
    }
}
