using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>
/// timm's ResNet bottleneck (timm 0.4.12 <c>Bottleneck</c>): 1×1 → 3×3 (carrying the stride) → 1×1 ×4 expansion,
/// BatchNorm after each, ReLU, and a 1×1-conv + BN shortcut where the shape changes; stochastic depth on the residual
/// branch before the sum when a drop-path rate is given (timm <c>drop_path_rate</c>, the RSB A2 recipe's 0.05).
/// </summary>
/// <remarks>
/// <para>
/// The shortcut's strided 1×1 convolution is computed as a subsampling <c>x[:, :, ::s, ::s]</c> followed by a
/// stride-1 1×1 convolution. Both are the same arithmetic (a 1×1 kernel with stride s and no padding reads exactly those
/// pixels), with the same weight and the same state_dict keys (<c>downsample.0.weight</c>, <c>downsample.1.*</c>), so timm
/// checkpoints load unchanged.
/// </para>
/// <para>
/// Why: the bundled libtorch (2.10, oneDNN 3.7.1) computes the input gradient of a strided convolution on AVX-512/AVX2
/// CPUs with <c>brgemm_convolution_bwd_strided_t</c>. While it creates that primitive,
/// <c>brgemm_convolution_bwd_utils::brg_blocking_t::est_eff_1x1</c> divides an integer by zero (SIGFPE, exit code 136,
/// the whole process dies) for a 1×1 kernel when the blocking heuristic finds no spatial block, and it does that integer
/// division only for the (in, out) channel pairs (256, 1024), (512, 1024), (512, 2048), (1024, 512), (1024, 2048): among
/// them ResNet-50's layer3 and layer4 shortcuts (512→1024 and 1024→2048, stride 2). The heuristic ends up there on AMD
/// virtual machines whose CPUID leaf 0x8000001D (cache topology) reads all zeros: oneDNN's CPU detection (Xbyak) then
/// takes every cache level to be 1 byte (oneDNN's per-core L1, L2 and L3 sizes read 1 in the crashed process). Seen on such an AMD EPYC (AVX-512) machine: one <c>Conv2d(1024, 2048, 1, stride 2)</c>
/// backward on a 2×1024×2×2 input dies, with batch 1 or 2, one thread or two, spatial sizes 2 to 16, and with
/// ONEDNN_MAX_CPU_ISA=AVX2 or ATEN_CPU_CAPABILITY=default (the AVX2 variant of the kernel takes the same path), while other
/// channel pairs and stride 1 run. PyTorch 1.13 (oneDNN 2.6, before this kernel existed) runs the same model. The stride-1
/// convolution takes oneDNN's backward-as-forward path instead. Channels-last tensors would meet the same division in the
/// forward 1×1 kernel for those channel pairs (<c>brgemm_convolution_utils::brg_blocking_t::est_eff_1x1</c>); the library
/// keeps NCHW. Turning oneDNN off altogether also avoids it, at about 1.75× the time of a ResNet-50 training step.
/// </para>
/// <para>
/// Numerics: against the strided convolution (with oneDNN, on a shape it survives, and without oneDNN on
/// 1024→2048), outputs and gradients agree to float32 rounding (largest difference 1.5e-5 on values up to 50), and both
/// are equally far from a float64 reference.
/// </para>
/// </remarks>
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
    private readonly int downsampleStride;
    private readonly DropPath drop_path;

    /// <summary>Creates a block from <paramref name="inChannels"/> to width·4 channels, its residual branch dropped with
    /// probability <paramref name="dropPath"/> in training.</summary>
    public Bottleneck(int inChannels, int width, int stride, double dropPath = 0) : base(nameof(Bottleneck))
    {
        int outChannels = width * Expansion;
        conv1 = nn.Conv2d(inChannels, width, kernel_size: 1, bias: false);
        bn1 = nn.BatchNorm2d(width);
        conv2 = nn.Conv2d(width, width, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(width);
        conv3 = nn.Conv2d(width, outChannels, kernel_size: 1, bias: false);
        bn3 = nn.BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
        {
            // timm: Conv2d(in, out, 1, stride); the stride is taken by subsampling in forward (see remarks).
            downsample = nn.Sequential(
                nn.Conv2d(inChannels, outChannels, kernel_size: 1, bias: false),
                nn.BatchNorm2d(outChannels));
            downsampleStride = stride;
        }
        drop_path = new DropPath(dropPath);
        RegisterComponents();
    }

    /// <summary>The probability that training drops this block's residual branch for a sample.</summary>
    public double DropPathRate => drop_path.Probability;

    /// <summary>The last BatchNorm, whose γ starts at zero (timm zero_init_last_bn): each block starts as identity.</summary>
    public BatchNorm2d LastNorm => bn3;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.relu(bn1.forward(conv1.forward(x)));
        h = nn.functional.relu(bn2.forward(conv2.forward(h)));
        h = drop_path.forward(bn3.forward(conv3.forward(h)));
        var shortcut = downsample is null ? x
            : downsample.forward(downsampleStride == 1 ? x : x[.., .., TensorIndex.Slice(step: downsampleStride), TensorIndex.Slice(step: downsampleStride)]);
        return nn.functional.relu(h + shortcut).MoveToOuterDisposeScope();
    }
}
