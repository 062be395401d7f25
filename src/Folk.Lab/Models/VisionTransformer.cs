using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>
/// The Vision Transformer of MFM (BEiT-style, Jiahao000/MFM <c>models/vision_transformer.py</c>): patch embedding, a
/// cls token, a learnable absolute
/// position embedding, pre-norm blocks, and either a final LayerNorm (pre-training) or mean pooling → fc_norm → head
/// (fine-tuning). Field names are the reference's state_dict keys.
/// </summary>
/// <remarks>
/// Parameter counts match the reference: ViT-B/16 85,789,440 and ViT-S/16 21,661,056 at 224² (pre-training form).
/// Initialisation is MFM's pre-training one (<see cref="InitializeForPretraining"/>), or its fine-tuning one
/// (<see cref="InitializeForFineTuning"/>) when the model has a classification head.
/// </remarks>
public sealed class VisionTransformer : Encoder
{
    private readonly PatchEmbed patch_embed;
    private readonly Parameter cls_token;
    private readonly Parameter pos_embed;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm? norm;
    private readonly LayerNorm? fc_norm;
    private readonly Linear? head;

    /// <summary>The configuration this model was built from.</summary>
    public VisionTransformerConfig Config { get; }

    /// <summary>Builds the model and initialises it as MFM's pre-training does, or, with a classification head
    /// (<see cref="VisionTransformerConfig.Classes"/> &gt; 0), as its fine-tuning does.</summary>
    public VisionTransformer(VisionTransformerConfig config) : base(nameof(VisionTransformer))
    {
        config.Validate();
        Config = config;
        int d = config.EmbedDim, tokens = config.GridSize * config.GridSize + 1;
        patch_embed = new PatchEmbed(config.PatchSize, d);
        cls_token = nn.Parameter(zeros(1, 1, d));
        pos_embed = nn.Parameter(zeros(1, tokens, d));
        blocks = new ModuleList<TransformerBlock>(Enumerable.Range(0, config.Depth)
            .Select(i => new TransformerBlock(d, config.Heads, config.MlpRatio,
                config.Depth == 1 ? 0 : config.DropPath * i / (config.Depth - 1))).ToArray());
        if (config.MeanPooling) fc_norm = nn.LayerNorm(d, eps: 1e-6);
        else norm = nn.LayerNorm(d, eps: 1e-6);
        if (config.Classes > 0) head = nn.Linear(d, config.Classes);
        RegisterComponents();
        if (head is null) InitializeForPretraining();
        else InitializeForFineTuning();
    }

    /// <inheritdoc/>
    public override int Features => Config.EmbedDim;

    /// <inheritdoc/>
    public override int Stride => Config.PatchSize;

    /// <summary>The transformer blocks, in order.</summary>
    public IReadOnlyList<TransformerBlock> Blocks => blocks.ToList();

    /// <summary>
    /// MFM's pre-training initialisation: truncated normal (std 0.02, cut at ±1σ as <c>VisionTransformerForMFM</c>
    /// overrides it) for every Linear and Conv weight, pos_embed and cls_token; zero biases; LayerNorm (1, 0); then the
    /// attention output and fc2 weights of block i (from 1) divided by √(2i).
    /// </summary>
    public void InitializeForPretraining() => Initialize(bound: 0.02);

    /// <summary>
    /// MFM's fine-tuning initialisation (models/vision_transformer.py <c>VisionTransformer.__init__</c>, BEiT's
    /// modeling_finetune.py): the same rules with timm's default truncation at ±2 (absolute, so for std 0.02 an
    /// untruncated normal in effect), fc_norm (1, 0), then the classification head scaled by <c>init_scale</c> 0.001:
    /// weights trunc-normal(0.02) × 0.001, bias 0. The head starts with logits near zero, so fine-tuning begins from
    /// uniform class probabilities instead of the random logits of a pre-training-initialised head.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has no classification head.</exception>
    public void InitializeForFineTuning()
    {
        if (head is null)
            throw new InvalidOperationException("This ViT has no classification head (VisionTransformerConfig.Classes = 0): use InitializeForPretraining, or build it with Classes > 0.");
        Initialize(bound: 2.0);
        using var noGrad = no_grad();
        head.weight!.mul_(HeadInitScale);
        head.bias!.mul_(HeadInitScale);
    }

    /// <summary>The fine-tuning head's <c>init_scale</c> (MFM models/vision_transformer.py: 0.001, from BEiT).</summary>
    public const double HeadInitScale = 0.001;

    void Initialize(double bound)
    {
        using var noGrad = no_grad();
        void TruncatedNormal(Tensor t) => Models.TruncatedNormal.Fill(t, mean: 0, std: 0.02, a: -bound, b: bound);
        TruncatedNormal(pos_embed);
        TruncatedNormal(cls_token);
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Linear linear:
                    TruncatedNormal(linear.weight!);
                    if (linear.bias is { } b) b.zero_();
                    break;
                case Conv2d conv:
                    TruncatedNormal(conv.weight!);
                    if (conv.bias is { } cb) cb.zero_();
                    break;
                case LayerNorm layerNorm:
                    layerNorm.weight!.fill_(1.0);
                    layerNorm.bias!.zero_();
                    break;
            }
        }
        for (int i = 0; i < blocks.Count; i++)
        {
            double rescale = Math.Sqrt(2.0 * (i + 1));
            blocks[i].Attention.Projection.weight!.div_(rescale);
            blocks[i].Mlp.Output.weight!.div_(rescale);
        }
    }

    /// <summary>Tokens after the last block and the final norm: B×(N+1)×D, cls first.</summary>
    public Tensor Tokens(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = Embed(images);
        foreach (var block in blocks) x = block.forward(x);
        return (norm?.forward(x) ?? x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Tokens after the first <paramref name="depth"/> blocks, before any norm: B×(N+1)×D, cls first. For probing
    /// intermediate layers, as BEiT and MAE do: with MFM's linear head the last blocks turn features back into pixels.
    /// </summary>
    public Tensor IntermediateTokens(Tensor images, int depth)
    {
        if (depth < 0 || depth > blocks.Count)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, $"depth must be in [0, {blocks.Count}].");
        using var scope = NewDisposeScope();
        var x = Embed(images);
        for (int i = 0; i < depth; i++) x = blocks[i].forward(x);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The patch tokens after each of the first <paramref name="depths"/>[i] blocks, before any norm, as B×D×(H/p)×(W/p)
    /// maps, from one pass through the blocks: the multi-level features a dense-prediction head reads (BEiT's
    /// <c>out_indices</c>, microsoft/unilm <c>beit/semantic_segmentation/backbone/beit.py</c>: the outputs of blocks
    /// 4, 6, 8 and 12 for depths [4, 6, 8, 12]).
    /// </summary>
    /// <param name="images">B×3×H×W, normalised, H and W multiples of the patch size.</param>
    /// <param name="depths">Block counts in [1, Depth], ascending (a depth may repeat).</param>
    public Tensor[] BlockOutputs(Tensor images, IReadOnlyList<int> depths)
    {
        ArgumentNullException.ThrowIfNull(depths);
        for (int i = 0; i < depths.Count; i++)
            if (depths[i] < 1 || depths[i] > blocks.Count || (i > 0 && depths[i] < depths[i - 1]))
                throw new ArgumentOutOfRangeException(nameof(depths), $"depths must ascend within [1, {blocks.Count}]; got [{string.Join(", ", depths)}].");
        using var scope = NewDisposeScope();
        long rows = images.shape[2] / Config.PatchSize, columns = images.shape[3] / Config.PatchSize;
        var outputs = new Tensor[depths.Count];
        var x = Embed(images);
        for (int done = 0, next = 0; next < depths.Count; done++)
        {
            if (done > 0) x = blocks[done - 1].forward(x);
            while (next < depths.Count && depths[next] == done) outputs[next++] = PatchGrid(x, rows, columns).contiguous().MoveToOuterDisposeScope();
        }
        return outputs;
    }

    /// <summary>MFM's encoder output: final-norm tokens without cls, as a B×D×(H/p)×(W/p) map.</summary>
    public override Tensor FeatureMap(Tensor images)
    {
        using var scope = NewDisposeScope();
        var tokens = Tokens(images);
        return PatchGrid(tokens, images.shape[2] / Config.PatchSize, images.shape[3] / Config.PatchSize).MoveToOuterDisposeScope();
    }

    /// <summary>The patch tokens of <see cref="Tokens"/> (cls dropped) as a B×D×<paramref name="rows"/>×<paramref name="columns"/> map.</summary>
    public Tensor PatchGrid(Tensor tokens, long rows, long columns) =>
        tokens[.., 1..].transpose(1, 2).reshape(tokens.shape[0], Config.EmbedDim, rows, columns);

    /// <summary>Mean of the final patch tokens (through fc_norm in the fine-tuning form): B×D.</summary>
    public override Tensor Pooled(Tensor images)
    {
        using var scope = NewDisposeScope();
        var mean = Tokens(images)[.., 1..].mean(new long[] { 1 });
        return (fc_norm?.forward(mean) ?? mean).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    /// <remarks>One pass through the blocks: the map from the final-norm patch tokens, the global feature from the
    /// final [CLS] token or the mean patch token.</remarks>
    public override EncoderOutputs Outputs(Tensor images, GlobalFeature global = GlobalFeature.ClassToken, bool withMap = true)
    {
        using var scope = NewDisposeScope();
        var tokens = Tokens(images);
        long p = Config.PatchSize;
        var map = withMap ? PatchGrid(tokens, images.shape[2] / p, images.shape[3] / p).MoveToOuterDisposeScope() : null;
        var pooled = global == GlobalFeature.ClassToken ? tokens[.., 0] : tokens[.., 1..].mean(new long[] { 1 });
        return new EncoderOutputs(map, pooled.MoveToOuterDisposeScope());
    }

    /// <summary>Class logits of the fine-tuning form (needs <see cref="VisionTransformerConfig.Classes"/> &gt; 0).</summary>
    public override Tensor forward(Tensor images)
    {
        if (head is null) return FeatureMap(images);
        using var pooled = Pooled(images);
        return head.forward(pooled);
    }

    /// <summary>
    /// Attention weights of every block, each B×heads×(N+1)×(N+1) (cls first), from one forward pass. The pass itself
    /// is the model's own, so the weights are those that produced its output.
    /// </summary>
    public IReadOnlyList<Tensor> AttentionWeights(Tensor images)
    {
        using var scope = NewDisposeScope();
        var weights = new List<Tensor>();
        var x = Embed(images);
        foreach (var block in blocks)
        {
            weights.Add(block.AttentionWeights(x).MoveToOuterDisposeScope());
            x = block.forward(x);
        }
        return weights;
    }

    Tensor Embed(Tensor images)
    {
        if (images.dim() != 4 || images.shape[2] % Config.PatchSize != 0 || images.shape[3] % Config.PatchSize != 0)
            throw new ArgumentException(
                $"images must be B×3×H×W with H and W multiples of the patch size {Config.PatchSize} (trained at {Config.ImageSize}²); got {Shape.Format(images)}.", nameof(images));
        var patches = patch_embed.forward(images);
        var cls = cls_token.expand(images.shape[0], -1, -1);
        return cat(new[] { cls, patches }, 1) + PositionEmbedding(images.shape[2] / Config.PatchSize, images.shape[3] / Config.PatchSize);
    }

    /// <summary>
    /// pos_embed for a <paramref name="rows"/>×<paramref name="columns"/> patch grid: itself at the training size,
    /// else resized (<see cref="Models.PositionEmbedding.Resize"/>; DINO's <c>interpolate_pos_encoding</c>, used for
    /// multi-crop's small local views).
    /// </summary>
    Tensor PositionEmbedding(long rows, long columns)
    {
        long g = Config.GridSize;
        return rows == g && columns == g ? pos_embed : Models.PositionEmbedding.Resize(pos_embed, rows, columns);
    }
}
