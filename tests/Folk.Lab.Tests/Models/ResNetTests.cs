using Folk.Lab.Models;
using Folk.Lab.Models.Heads;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Models;

public class ResNetTests
{
    [Fact]
    public void ResNet50HasTheReferenceParameterCountsAndStride32()
    {
        using var resnet = new ResNet();
        Assert.Equal(23_508_032, resnet.parameters().Sum(p => p.numel()));   // torchvision/timm resnet50 without fc
        using var head = new MfmHead(resnet.Features, resnet.Stride);
        Assert.Equal(6_294_528, head.parameters().Sum(p => p.numel()));       // Jiahao000/MFM models/mfm.py head
        resnet.eval();
        using var map = resnet.FeatureMap(TestImages.Uniform(new long[] { 1, 3, 224, 224 }));
        Assert.Equal(new long[] { 1, 2048, 7, 7 }, map.shape);
    }

    [Fact]
    public void LastBatchNormOfEveryBlockStartsAtZeroSoBlocksStartAsIdentity()
    {
        using var resnet = new ResNet(new[] { 1, 1, 1, 1 });
        var state = resnet.state_dict();
        Assert.Equal(0f, state["layer1.0.bn3.weight"].abs().sum().item<float>());
        Assert.Equal(0f, state["layer4.0.bn3.weight"].abs().sum().item<float>());
        Assert.Equal(1f, state["layer1.0.bn1.weight"].mean().item<float>());
        Assert.Contains("layer2.0.downsample.0.weight", state.Keys);
        Assert.Contains("layer2.0.downsample.1.running_mean", state.Keys);
        // Kaiming normal, fan-out, ReLU gain: std = √(2 / (out·k·k))
        double expected = Math.Sqrt(2.0 / (64 * 7 * 7));
        Assert.InRange(state["conv1.weight"].std().item<float>(), expected * 0.95, expected * 1.05);
    }

    /// <summary>The child body of <see cref="ResNet50BackwardOnTheCpuRunsToTheEnd"/>.</summary>
    internal const string BackwardChild = "resnet50-backward";

    /// <summary>ResNet-50 forward and backward in train mode at 32×32, batch 2: prints "backward ok" and the gradient count.</summary>
    internal static void ResNet50Backward()
    {
        torch.manual_seed(0);
        using var resnet = new ResNet();
        resnet.train();
        using var images = randn(2, 3, 32, 32);
        using (var map = resnet.FeatureMap(images))
        using (var loss = map.square().mean())
            loss.backward();
        int finite = resnet.parameters().Count(p => p.grad is not null && p.grad.isfinite().all().item<bool>());
        Console.WriteLine($"backward ok: {finite} of {resnet.parameters().Count()} gradients finite");
    }

    /// <summary>
    /// ResNet-50's backward on the CPU, in a child process: it used to die with SIGFPE inside oneDNN (exit code 136) on
    /// CPUs that report no cache sizes, taking the whole test run with it (Bottleneck's remarks).
    /// </summary>
    [Fact]
    public void ResNet50BackwardOnTheCpuRunsToTheEnd()
    {
        var child = ChildProcess.Run(BackwardChild);
        Assert.True(child.ExitCode == 0,
            (child.ExitCode == 136 ? "the child died with SIGFPE (oneDNN's strided convolution backward). " : "") + child);
        using var resnet = new ResNet();
        int count = resnet.parameters().Count();
        Assert.Contains($"backward ok: {count} of {count} gradients finite", child.Output);
    }

    /// <summary>
    /// The strided shortcut, computed as a subsampling and a stride-1 1×1 convolution, is timm's stride-2 1×1 convolution:
    /// same output and input gradient as <c>conv2d(x, w, stride 2)</c> + BatchNorm. With the last BatchNorm's γ at zero
    /// (as ResNet starts every block) the block is its shortcut alone, so its output is <c>relu(bn(conv(x)))</c>.
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(7)]      // odd: the last row and column are read, as with the strided convolution
    public void StridedShortcutIsTheStridedOneByOneConvolution(int size)
    {
        torch.manual_seed(0);
        using var block = new Bottleneck(64, 32, stride: 2);
        block.eval();
        using (no_grad()) block.LastNorm.weight!.zero_();
        var state = block.state_dict();
        using var x = randn(2, 64, size, size, requires_grad: true);
        using var xr = x.detach().clone().requires_grad_(true);
        using var y = block.forward(x);
        using var conv = nn.functional.conv2d(xr, state["downsample.0.weight"], strides: new long[] { 2, 2 });
        using var expected = nn.functional.relu(nn.functional.batch_norm(conv, state["downsample.1.running_mean"],
            state["downsample.1.running_var"], state["downsample.1.weight"], state["downsample.1.bias"], training: false));
        Assert.Equal(new long[] { 2, 128, (size + 1) / 2, (size + 1) / 2 }, y.shape);
        TensorAssert.CloseRelativeToMax(expected, y, 1e-6, "output");
        using var g = randn(y.shape);
        y.backward(new[] { g });
        expected.backward(new[] { g });
        TensorAssert.CloseRelativeToMax(xr.grad!, x.grad!, 1e-6, "input gradient");
    }
}

/// <summary>Stochastic depth in the ResNet (draws from the global RNG, hence the collection).</summary>
[Collection(GlobalRngCollection.Name)]
public class ResNetDropPathTests
{
    [Fact]
    public void DropPathGrowsLinearlyOverTheBlocksActsOnlyInTrainingAndAddsNoWeights()
    {
        using var plain = new ResNet(new[] { 1, 2, 1, 1 }, classes: 5);
        using var dropping = new ResNet(new[] { 1, 2, 1, 1 }, classes: 5, dropPath: 0.4);
        var blocks = dropping.modules().OfType<Bottleneck>().ToList();
        Assert.Equal(new[] { 0.0, 0.1, 0.2, 0.3, 0.4 }, blocks.Select(b => Math.Round(b.DropPathRate, 12)));   // timm: rate · i / (n − 1)
        Assert.Equal(plain.state_dict().Keys, dropping.state_dict().Keys);
        dropping.load_state_dict(plain.state_dict());
        using (no_grad())
            foreach (var b in blocks) b.LastNorm.weight!.fill_(1);                   // open the residual branches (γ starts at 0)
        using var images = TestImages.Uniform(new long[] { 8, 3, 32, 32 });
        Tensor Run(long seed) { manual_seed(seed); return dropping.forward(images); }
        dropping.eval();
        using (no_grad())
        {
            using var a = Run(1);
            using var b = Run(2);
            TensorAssert.Equal(a, b, "evaluation ignores drop path");
            dropping.train();
            using var c = Run(1);
            using var d = Run(2);
            using var e = Run(1);
            Assert.True((c - d).abs().max().item<float>() > 1e-3, "training drops branches per seed");
            TensorAssert.Equal(c, e, "the same seed drops the same branches");
        }
    }
}
