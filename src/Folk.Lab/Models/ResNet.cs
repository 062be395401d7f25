using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>
/// ResNet-50 as timm 0.4.12 builds it (<c>ResNet(Bottleneck, [3, 4, 6, 3])</c>): features at stride 32,
/// B×2048×H/32×W/32, without a classifier for pre-training (MFM models/mfm.py builds it with <c>num_classes=0</c>), or
/// with timm's global average pool and <c>fc</c> head for fine-tuning. Kaiming-normal (fan-out) convolutions, BatchNorm
/// (1, 0), the last BatchNorm of every block zero-initialised, and timm's default Linear init for <c>fc</c>. Field names
/// are timm's state_dict keys.
/// </summary>
public sealed class ResNet : Encoder
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly Linear? fc;

    /// <summary>Classes of the <c>fc</c> head; 0 = none (pre-training).</summary>
    public int Classes { get; }

    /// <summary>Builds a bottleneck ResNet; the default layer counts are ResNet-50's; <paramref name="classes"/> &gt; 0
    /// adds timm's classifier (global average pool → fc). <paramref name="dropPath"/> is timm's <c>drop_path_rate</c>:
    /// block i of n drops its residual branch with probability rate · i / (n − 1).</summary>
    public ResNet(int[]? layers = null, int classes = 0, double dropPath = 0) : base(nameof(ResNet))
    {
        Guard.NonNegative(classes, nameof(classes));
        Classes = classes;
        layers ??= new[] { 3, 4, 6, 3 };
        if (layers.Length != 4) throw new ArgumentException($"layers must give four stage depths; got {layers.Length}.", nameof(layers));
        conv1 = nn.Conv2d(3, 64, kernel_size: 7, stride: 2, padding: 3, bias: false);
        bn1 = nn.BatchNorm2d(64);
        maxpool = nn.MaxPool2d(kernel_size: 3, stride: 2, padding: 1);
        int channels = 64, block = 0, totalBlocks = layers.Sum();
        Sequential Stage(int width, int blocks, int stride)
        {
            var modules = new List<nn.Module<Tensor, Tensor>>();
            for (int i = 0; i < blocks; i++)
            {
                modules.Add(new Bottleneck(channels, width, i == 0 ? stride : 1, dropPath * block++ / Math.Max(1, totalBlocks - 1)));
                channels = width * Bottleneck.Expansion;
            }
            return nn.Sequential(modules);
        }
        layer1 = Stage(64, layers[0], 1);
        layer2 = Stage(128, layers[1], 2);
        layer3 = Stage(256, layers[2], 2);
        layer4 = Stage(512, layers[3], 2);
        if (classes > 0) fc = nn.Linear(channels, classes);
        RegisterComponents();
        Initialize();
    }

    /// <inheritdoc/>
    public override int Features => 512 * Bottleneck.Expansion;

    /// <inheritdoc/>
    public override int Stride => 32;

    void Initialize()
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    break;
                case BatchNorm2d bn:
                    bn.weight!.fill_(1.0);
                    bn.bias!.zero_();
                    break;
            }
        }
        foreach (var (_, module) in named_modules())
            if (module is Bottleneck block) block.LastNorm.weight!.zero_();
    }

    /// <summary>layer4's output, B×2048×H/32×W/32 (timm forward_features).</summary>
    public override Tensor FeatureMap(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = maxpool.forward(nn.functional.relu(bn1.forward(conv1.forward(images))));
        x = layer4.forward(layer3.forward(layer2.forward(layer1.forward(x))));
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Global average pool of the feature map: B×2048.</summary>
    public override Tensor Pooled(Tensor images)
    {
        using var map = FeatureMap(images);
        return map.mean(new long[] { 2, 3 });
    }

    /// <summary>The feature map, or class logits when the model has a head.</summary>
    public override Tensor forward(Tensor images)
    {
        if (fc is null) return FeatureMap(images);
        using var pooled = Pooled(images);
        return fc.forward(pooled);
    }
}
