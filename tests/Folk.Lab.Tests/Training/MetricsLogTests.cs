using Folk.Lab.Training;

namespace Folk.Lab.Tests.Training;

public sealed class MetricsLogTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-metrics-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static StepReport Report(long step, double loss, double high) =>
        new(step, 3, 0, 1, new Dictionary<string, double> { ["loss"] = loss, ["loss_high"] = high }, 1e-3, 10, TimeSpan.Zero, TimeSpan.Zero);

    [Fact]
    public void ASeriesReadsATermBackWithItsNonFiniteValues()
    {
        var log = new MetricsLog(_dir);
        log.Append(Report(0, 1.5, double.NaN));
        log.Append(Report(1, 1.25, double.PositiveInfinity));
        log.Append(Report(2, 1.0, 0.5));
        Assert.Equal(new[] { 1.5, 1.25, 1.0 }, log.Series("loss"));
        var high = log.Series("loss_high");
        Assert.True(double.IsNaN(high[0]));
        Assert.Equal(double.PositiveInfinity, high[1]);
        Assert.Equal(0.5, high[2]);
        Assert.Equal(new[] { 0.0, 1, 2 }, log.Series("step"));
        Assert.Empty(log.Series("loss_low"));
    }
}
