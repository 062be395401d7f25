using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>
/// timm's ResNet bottleneck (timm 0.4.12 <c>Bottleneck</c>): 1×1 → 3×3 (carrying the stride) → 1×1 ×4 expansion,
/// BatchNorm after each, ReLU, and a 1×1-conv + BN shortcut where the shape changes.
/// </summary>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>
{
    /// <summary>Output channels over the block's width.</summary>
    public const int Expansion = 4;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly Sequential? downsample;

    /// <summary>Creates a block from <paramref name="inChannels"/> to width·4 channels.</summary>
    public Bottleneck(int inChannels, int width, int stride) : base(nameof(Bottleneck))
    {
        int outChannels = width * Expansion;
        conv1 = nn.Conv2d(inChannels, width, kernel_size: 1, bias: false);
        bn1 = nn.BatchNorm2d(width);
        conv2 = nn.Conv2d(width, width, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(width);
        conv3 = nn.Conv2d(width, outChannels, kernel_size: 1, bias: false);
        bn3 = nn.BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
            downsample = nn.Sequential(
                nn.Conv2d(inChannels, outChannels, kernel_size: 1, stride: stride, bias: false),
                nn.BatchNorm2d(outChannels));
        RegisterComponents();
    }

    /// <summary>The last BatchNorm, whose γ starts at zero (timm zero_init_last_bn): each block starts as identity.</summary>
    public BatchNorm2d LastNorm => bn3;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.relu(bn1.forward(conv1.forward(x)));
        h = nn.functional.relu(bn2.forward(conv2.forward(h)));
        h = bn3.forward(conv3.forward(h));
        var shortcut = downsample?.forward(x) ?? x;
        return nn.functional.relu(h + shortcut).MoveToOuterDisposeScope();
    }
}
