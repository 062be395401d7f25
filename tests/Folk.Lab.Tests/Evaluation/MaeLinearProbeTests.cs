using Folk.Lab.Evaluation;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Evaluation;

public class MaeLinearProbeTests
{
    [Fact]
    public void TheScheduleWarmsUpLinearlyThenFollowsAHalfCosineToZero()
    {
        Assert.Equal(0, MaeLinearProbe.Rate(1.6, 0, 10, 100));
        Assert.Equal(0.8, MaeLinearProbe.Rate(1.6, 5, 10, 100), 12);
        Assert.Equal(1.6, MaeLinearProbe.Rate(1.6, 10, 10, 100), 12);
        Assert.Equal(0.8, MaeLinearProbe.Rate(1.6, 55, 10, 100), 12);                    // half-way through the cosine
        Assert.Equal(0, MaeLinearProbe.Rate(1.6, 100, 10, 100), 12);
    }

    [Fact]
    public void ItReadsALinearlyDecodableLabelAndNotANoiseOne()
    {
        // features whose label is the sign pattern of two directions, buried among 14 noise dimensions of larger scale
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        Features Make(int n)
        {
            var x = randn(n, 16, generator: generator) * 3;
            var labels = (x[.., 0] > 0).to(ScalarType.Int64) * 2 + (x[.., 1] > 0).to(ScalarType.Int64);
            return new Features(x, labels);
        }
        using var train = Make(2000);
        using var test = Make(1000);
        var options = MaeLinearProbeOptions.Miniature with { Iterations = 1000 };
        var result = MaeLinearProbe.Evaluate(train, test, options);
        Assert.InRange(result.TestAccuracy, 0.9, 1.0);
        Assert.Equal(result, MaeLinearProbe.Evaluate(train, test, options));                 // deterministic given the seed

        using var shuffled = new Features(train.Values, train.Labels.index_select(0, randperm(2000, generator: generator)));
        Assert.InRange(MaeLinearProbe.Evaluate(shuffled, test, options).TestAccuracy, 0.15, 0.35);   // 4 classes: chance is 0.25

        // with MAE's rate scaled to the actual batch of 256 (lr 0.1), LARS moves the head by 1e-4 of its norm per step,
        // and 1,000 steps leave it near its random start: why the miniature keeps MAE's rate and iteration count
        var slow = MaeLinearProbe.Evaluate(train, test, options with { RateBatch = null });
        Assert.True(slow.TestAccuracy < result.TestAccuracy - 0.2, $"lr 0.1: {slow.TestAccuracy}, lr 6.4: {result.TestAccuracy}");
    }
}
