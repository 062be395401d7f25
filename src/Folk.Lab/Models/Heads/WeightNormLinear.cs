using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Folk.Lab.Models.Heads;

/// <summary>
/// A bias-free linear layer under weight normalisation, <c>W = g · v / ‖v‖</c> row by row (PyTorch
/// <c>nn.utils.weight_norm(nn.Linear(in, out, bias=False))</c>, dim 0), with its state_dict keys
/// <c>weight_g</c> (out×1) and <c>weight_v</c> (out×in). DINO's head fills g with 1 and, with
/// <c>norm_last_layer</c>, freezes it, so every output is a cosine similarity.
/// </summary>
public sealed class WeightNormLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight_g;
    private readonly Parameter weight_v;

    /// <summary>in → out, v initialised as PyTorch's Linear (Kaiming-uniform, a = √5), g = 1, frozen when <paramref name="freezeNorm"/>.</summary>
    public WeightNormLinear(int inFeatures, int outFeatures, bool freezeNorm = true) : base(nameof(WeightNormLinear))
    {
        weight_v = nn.Parameter(empty(outFeatures, inFeatures));
        nn.init.kaiming_uniform_(weight_v, a: Math.Sqrt(5));
        weight_g = nn.Parameter(ones(outFeatures, 1), requires_grad: !freezeNorm);
        RegisterComponents();
    }

    /// <summary>The effective weight g · v / ‖v‖ (out×in).</summary>
    public Tensor Weight()
    {
        using var norm = weight_v.norm(1, keepdim: true);
        using var unit = weight_v / norm;
        return unit * weight_g;
    }

    /// <summary>N×in → N×out.</summary>
    public override Tensor forward(Tensor x)
    {
        using var w = Weight();
        return nn.functional.linear(x, w);
    }
}
