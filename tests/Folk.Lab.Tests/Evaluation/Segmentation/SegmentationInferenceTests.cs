using Folk.Lab.Evaluation.Segmentation;
using Folk.Lab.Models;
using Folk.Lab.Models.Segmentation;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Evaluation.Segmentation;

public class SegmentationInferenceTests
{
    static UperNet Model()
    {
        manual_seed(5);
        var model = new UperNet(VisionTransformerConfig.Tiny16 with { ImageSize = 32, PatchSize = 4, Depth = 2, EmbedDim = 48, Heads = 2 },
            new UperNetConfig { Classes = 5, Channels = 16, AuxiliaryChannels = 8 });
        model.eval();
        return model;
    }

    [Fact]
    public void SlidingWindowsAverageTheLogitsWhereTheyOverlap()
    {
        // 32×48 with crop 32 and stride 20: one row, ⌈(48 − 32)/20⌉ + 1 = 2 columns; the second window is moved back to
        // end at the border (x 16…47). Columns 16–31 are seen twice, the rest once.
        using var model = Model();
        using var images = TestImages.Normal(new long[] { 1, 3, 32, 48 });
        using var slide = SegmentationInference.Logits(model, images, new SegmentationInferenceOptions { Mode = InferenceMode.Slide, CropSize = 32, Stride = 20 });
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var left = model.forward(images.narrow(3, 0, 32));
        var right = model.forward(images.narrow(3, 16, 32));
        var expected = cat(new[] { left.narrow(3, 0, 16), (left.narrow(3, 16, 16) + right.narrow(3, 0, 16)) / 2, right.narrow(3, 16, 16) }, 3);
        TensorAssert.CloseRelativeToMax(expected, slide, 1e-5, "slide");
        // an image no larger than the window is one window: the whole image
        var whole = SegmentationInference.Logits(model, images, new SegmentationInferenceOptions { Mode = InferenceMode.Whole });
        var one = SegmentationInference.Logits(model, images, new SegmentationInferenceOptions { CropSize = 48, Stride = 32 });
        TensorAssert.CloseRelativeToMax(whole, one, 1e-6, "one window");
    }

    [Fact]
    public void SidesThatAreNoMultipleOfThePatchArePaddedAndCroppedBack()
    {
        using var model = Model();
        using var images = TestImages.Normal(new long[] { 1, 3, 30, 29 });
        using var scope = NewDisposeScope();
        var logits = SegmentationInference.Logits(model, images, new SegmentationInferenceOptions { Mode = InferenceMode.Whole });
        Assert.Equal(new long[] { 1, 5, 30, 29 }, logits.shape);
        using var noGrad = no_grad();
        var padded = nn.functional.pad(images, new long[] { 0, 3, 0, 2 });
        var expected = model.forward(padded).narrow(2, 0, 30).narrow(3, 0, 29);
        TensorAssert.CloseRelativeToMax(expected, logits, 1e-6, "padded");
    }
}
