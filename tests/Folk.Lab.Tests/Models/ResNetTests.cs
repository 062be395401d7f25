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
        Assert.Equal(6_294_528, head.parameters().Sum(p => p.numel()));       // mfm-reference §2.6
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
}
