using Folk.Lab.Evaluation.Segmentation;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Evaluation.Segmentation;

public class IntersectionOverUnionTests
{
    const long I = 255;

    static Tensor Map(long[] values, int h, int w) => tensor(values, new long[] { h, w });

    [Fact]
    public void TotalsAccumulateOverTheDataSetIgnoringIgnoredPixelsAndClassesAbsentEverywhere()
    {
        // Image A (K = 4), truth [[0 0 1] [1 I 2]], prediction [[0 1 1] [1 2 0]]. The ignored pixel drops out of both maps
        // (its predicted 2 is not counted). Labelled: truth 0 0 1 1 2, prediction 0 1 1 1 0.
        //   intersection  c0: 1   c1: 2   c2: 0   c3: 0
        //   predicted     c0: 2   c1: 3   c2: 0   c3: 0
        //   true          c0: 2   c1: 2   c2: 1   c3: 0
        //   union         c0: 3   c1: 3   c2: 1   c3: 0 → NaN (absent from both everywhere)
        var metric = new IntersectionOverUnion(4);
        using (var truth = Map(new[] { 0, 0, 1, 1, I, 2 }, 2, 3)) using (var prediction = Map(new long[] { 0, 1, 1, 1, 2, 0 }, 2, 3))
            metric.Add(prediction, truth);
        var a = metric.Result();
        Assert.Equal(new[] { 1 / 3.0, 2 / 3.0, 0 }, a.ClassIoU.Take(3));
        Assert.True(double.IsNaN(a.ClassIoU[3]));
        Assert.Equal(1 / 3.0, a.MeanIoU, 12);                                      // (1/3 + 2/3 + 0) / 3: class 3 left out
        Assert.Equal(3 / 5.0, a.PixelAccuracy, 12);
        Assert.Equal(new[] { 0.5, 1, 0 }, a.ClassAccuracy.Take(3));
        Assert.Equal((5L, 1), (a.Pixels, a.Images));

        // Image B, truth [[2 2]] predicted right: class 2's totals become intersection 2, union 0 + 1 + 2 + … = 3.
        using (var truth = Map(new long[] { 2, 2 }, 1, 2)) using (var prediction = Map(new long[] { 2, 2 }, 1, 2))
            metric.Add(prediction, truth);
        var ab = metric.Result();
        Assert.Equal(2 / 3.0, ab.ClassIoU[2], 12);
        Assert.Equal((1 / 3.0 + 2 / 3.0 + 2 / 3.0) / 3, ab.MeanIoU, 12);          // 5/9; the mean of per-image mIoUs would be (1/3 + 1) / 2
        Assert.Equal(5 / 7.0, ab.PixelAccuracy, 12);
        Assert.Equal(2, ab.Images);
    }

    [Fact]
    public void AClassPredictedButNeverTrueCountsZero()
    {
        var metric = new IntersectionOverUnion(3);
        using var truth = Map(new long[] { 0, 0, 1, 1 }, 2, 2);
        using var prediction = Map(new long[] { 0, 2, 1, 1 }, 2, 2);
        metric.Add(prediction, truth);
        var score = metric.Result();
        Assert.Equal(new[] { 0.5, 1, 0 }, score.ClassIoU);                       // class 2: union 1, intersection 0
        Assert.Equal(0.5, score.MeanIoU, 12);
        Assert.True(double.IsNaN(score.ClassAccuracy[2]));
        Assert.Equal(0.75, score.MeanAccuracy, 12);
    }

    [Fact]
    public void LabelsOutOfRangeAndMismatchedMapsAreRefused()
    {
        var metric = new IntersectionOverUnion(2);
        using var truth = Map(new long[] { 0, 2 }, 1, 2);
        using var prediction = Map(new long[] { 0, 1 }, 1, 2);
        Assert.Contains("[0, 2)", Assert.Throws<ArgumentException>(() => metric.Add(prediction, truth)).Message);
        using var wide = Map(new long[] { 0, 1, 1 }, 1, 3);
        Assert.Throws<ArgumentException>(() => metric.Add(wide, truth));
        Assert.True(double.IsNaN(metric.Result().MeanIoU));                       // nothing was added
    }
}
