using Folk.Lab.Data;
using Folk.Lab.Losses;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Losses;

public class PixelCrossEntropyTests
{
    [Fact]
    public void IgnoredPixelsAddNothingButCountInTheMeanAsMmsegmentationsDefault()
    {
        // one image, 3 classes, 2×2 pixels; pixel (1, 1) is ignored
        var values = new float[] { 1, 0, 2, -1, /* class 1 */ 0, 3, 0, 0, /* class 2 */ -2, 1, 1, 5 };
        using var logits = tensor(values, new long[] { 1, 3, 2, 2 });
        using var labels = tensor(new long[] { 0, 1, 2, SegmentationLabels.Ignore }, new long[] { 1, 2, 2 });
        double Nll(int pixel, int label)
        {
            double sum = Enumerable.Range(0, 3).Sum(c => Math.Exp(values[c * 4 + pixel]));
            return -(values[label * 4 + pixel] - Math.Log(sum));
        }
        double expected = (Nll(0, 0) + Nll(1, 1) + Nll(2, 2)) / 4;              // ÷ all four pixels, not the three labelled
        using var loss = PixelCrossEntropy.Compute(logits, labels);
        Assert.Equal(expected, loss.item<float>(), 5);
        Assert.Empty(loss.shape);
    }

    [Fact]
    public void LogitsAreUpsampledToTheLabelsSize()
    {
        // constant logits per class at 1×1 upsample to the same logits at every pixel of a 3×3 map
        using var logits = tensor(new float[] { 0.5f, -1f, 2f }, new long[] { 1, 3, 1, 1 });
        using var labels = tensor(new long[] { 0, 1, 2, 2, 2, 1, 0, 0, 2 }, new long[] { 1, 3, 3 });
        double log = Math.Log(Math.Exp(0.5) + Math.Exp(-1) + Math.Exp(2));
        double expected = (3 * (log - 0.5) + 2 * (log + 1) + 4 * (log - 2)) / 9;
        using var loss = PixelCrossEntropy.Compute(logits, labels);
        Assert.Equal(expected, loss.item<float>(), 5);
        Assert.Throws<ArgumentException>(() => PixelCrossEntropy.Compute(logits, labels.to(ScalarType.Int32)));
    }
}
