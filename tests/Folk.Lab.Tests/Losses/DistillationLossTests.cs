using Folk.Lab.Losses;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Losses;

[Collection(GlobalRngCollection.Name)]
public class DistillationLossTests
{
    [Fact]
    public void TeacherProbabilitiesAreTheCentredSharpenedSoftmax()
    {
        using var logits = tensor(new float[] { 1, 2, 3, 0.5f, -1, 0 }).view(2, 3);
        using var center = tensor(new float[] { 0.5f, 1, -0.5f }).view(1, 3);
        using var p = DistillationLoss.TeacherProbabilities(logits, center, 0.04);
        var rows = new[] { new[] { 1.0, 2, 3 }, new[] { 0.5, -1, 0 } };
        var c = new[] { 0.5, 1, -0.5 };
        for (int i = 0; i < 2; i++)
        {
            var z = rows[i].Select((x, j) => (x - c[j]) / 0.04).ToArray();
            double max = z.Max(), sum = z.Sum(x => Math.Exp(x - max));
            for (int j = 0; j < 3; j++) Assert.Equal(Math.Exp(z[j] - max) / sum, p[i, j].item<float>(), 5);
        }
        // sharpening: a lower temperature gives a lower entropy
        double Entropy(Tensor q) => -(q * q.clamp_min(1e-30).log()).sum().item<float>();
        using var soft = DistillationLoss.TeacherProbabilities(logits, center, 1.0);
        Assert.True(Entropy(p) < Entropy(soft));
        Assert.False(p.requires_grad);
    }

    [Fact]
    public void CrossViewSkipsSameViewPairsAndAveragesTheOthers()
    {
        using var g = new Generator(1);
        var students = Enumerable.Range(0, 3).Select(_ => randn(new long[] { 4, 5 }, generator: g)).ToArray();
        var teachers = Enumerable.Range(0, 2).Select(_ => softmax(randn(new long[] { 4, 5 }, generator: g), -1)).ToArray();
        using var loss = DistillationLoss.CrossView(students, teachers, 0.1);
        double H(int t, int s) => (-(teachers[t] * nn.functional.log_softmax(students[s] / 0.1, -1)).sum(-1).mean()).item<float>();
        double expected = (H(0, 1) + H(0, 2) + H(1, 0) + H(1, 2)) / 4;
        Assert.Equal(expected, loss.item<float>(), 4);
    }

    [Fact]
    public void TheCentreIsAnExponentialMovingAverageOfBatchMeans()
    {
        using var center = new DistillationCenter(3, 0.9);
        using var batch1 = tensor(new float[] { 1, 2, 3, 3, 2, 1 }).view(2, 3);
        using var mean1 = DistillationCenter.BatchCenter(batch1);
        center.Update(mean1);
        TensorAssert.CloseRelativeToMax(tensor(new float[] { 0.2f, 0.2f, 0.2f }).view(1, 3), center.Value, 1e-6, "0.9·0 + 0.1·2");
        center.Update(mean1);
        TensorAssert.CloseRelativeToMax(tensor(new float[] { 0.38f, 0.38f, 0.38f }).view(1, 3), center.Value, 1e-6, "0.9·0.2 + 0.1·2");
        Assert.Equal(new[] { "center" }, center.state_dict().Keys);
    }
}
