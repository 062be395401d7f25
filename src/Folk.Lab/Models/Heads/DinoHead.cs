using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Folk.Lab.Models.Heads;

/// <summary>Shape of <see cref="DinoHead"/>.</summary>
/// <remarks>Defaults: DINO vision_transformer.py <c>DINOHead(in_dim, out_dim=65536, nlayers=3, hidden_dim=2048,
/// bottleneck_dim=256, use_bn=False, norm_last_layer=True)</c> (main_dino.py defaults,
/// facebookresearch/dino).</remarks>
public sealed record DinoHeadConfig
{
    /// <summary>K, the number of prototypes (DINO <c>--out_dim</c> 65536, Folk.Lab's default for FOLK; iBOT's 8192
    /// is the alternative).</summary>
    public int OutputDim { get; init; } = 65536;

    /// <summary>Width of the hidden layers (DINO: 2048).</summary>
    public int HiddenDim { get; init; } = 2048;

    /// <summary>Width of the L2-normalised bottleneck (DINO: 256).</summary>
    public int BottleneckDim { get; init; } = 256;

    /// <summary>Linear layers of the MLP before the bottleneck normalisation (DINO <c>nlayers</c> = 3).</summary>
    public int Layers { get; init; } = 3;

    /// <summary>Freeze the last layer's weight norm at 1 (DINO <c>--norm_last_layer</c> True).</summary>
    public bool NormLastLayer { get; init; } = true;

    internal void Validate()
    {
        Guard.Positive(OutputDim, nameof(OutputDim));
        Guard.Positive(HiddenDim, nameof(HiddenDim));
        Guard.Positive(BottleneckDim, nameof(BottleneckDim));
        Guard.Positive(Layers, nameof(Layers));
    }
}

/// <summary>
/// DINO's projection head h (FOLK paper, arXiv 2409.10362, Fig. 3; DINO's DINOHead): an MLP in → 2048 → 2048 → 256
/// with GELU, L2 normalisation, and
/// a weight-normalised bias-free layer to K outputs. State_dict keys are DINO's: <c>mlp.0</c>, <c>mlp.2</c>,
/// <c>mlp.4</c>, <c>last_layer.weight_g</c>, <c>last_layer.weight_v</c>. The MLP is initialised with a truncated
/// normal of std 0.02 and zero biases (DINOHead._init_weights); the last layer keeps PyTorch's Linear initialisation.
/// </summary>
public sealed class DinoHead : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> mlp;
    private readonly WeightNormLinear last_layer;

    /// <summary>The configuration this head was built from.</summary>
    public DinoHeadConfig Config { get; }

    /// <summary>A head on <paramref name="inFeatures"/>-wide features (ViT: D of the [CLS] token; ResNet-50: 2048 pooled).</summary>
    public DinoHead(int inFeatures, DinoHeadConfig? config = null) : base(nameof(DinoHead))
    {
        Config = config ?? new DinoHeadConfig();
        Config.Validate();
        var widths = new List<int> { inFeatures };
        for (int i = 0; i < Config.Layers - 1; i++) widths.Add(Config.HiddenDim);
        widths.Add(Config.BottleneckDim);
        mlp = new ModuleList<Linear>(Enumerable.Range(0, Config.Layers).Select(i => nn.Linear(widths[i], widths[i + 1])).ToArray());
        last_layer = new WeightNormLinear(Config.BottleneckDim, Config.OutputDim, Config.NormLastLayer);
        RegisterComponents();
        using var noGrad = no_grad();
        foreach (var linear in mlp)
        {
            TruncatedNormal.Fill(linear.weight!, mean: 0, std: 0.02, a: -2, b: 2);
            linear.bias!.zero_();
        }
    }

    /// <summary>The L2-normalised bottleneck: N×in → N×256, float32.</summary>
    public Tensor Bottleneck(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        for (int i = 0; i < mlp.Count; i++)
        {
            h = Autocast.Linear(h, mlp[i].weight!, mlp[i].bias);
            if (i < mlp.Count - 1) h = nn.functional.gelu(h);
        }
        return nn.functional.normalize(Autocast.Float(h), p: 2, dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>N×in features → N×K logits (cosines with the K prototypes when the norm is frozen), float32.</summary>
    public override Tensor forward(Tensor x)
    {
        using var bottleneck = Bottleneck(x);
        return last_layer.forward(bottleneck);
    }
}
