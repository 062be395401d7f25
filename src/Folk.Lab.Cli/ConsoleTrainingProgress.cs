using Folk.Lab.Training;

namespace Folk.Lab.Cli;

/// <summary>
/// The training progress bar on stderr: redrawn in place on a terminal, one line per report when redirected (logs, CI).
/// <c>[██████░░░░] 1,234/5,000 it · epoch 3/10 · 212.4 img/s · loss 0.8123 · lr 1.20e-04 · ETA 0:12:31</c>
/// </summary>
internal sealed class ConsoleTrainingProgress(TextWriter writer, bool redraw) : ITrainingCallbacks
{
    bool _open;

    public void OnStep(StepReport r)
    {
        double done = (r.Step + 1) / (double)r.TotalSteps;
        int filled = (int)Math.Round(done * 20);
        var terms = string.Join(" · ", r.Terms.Take(3).Select(t => $"{t.Key} {t.Value:F4}"));
        var line = $"[{new string('█', filled)}{new string('░', 20 - filled)}] {r.Step + 1:N0}/{r.TotalSteps:N0} it · epoch {r.Epoch + 1}/{r.Epochs} · " +
                   $"{r.ImagesPerSecond:F1} img/s · {terms} · lr {r.LearningRate:0.00e+00} · ETA {Format(r.Remaining)}";
        if (redraw) { writer.Write("\r" + line.PadRight(Console.IsErrorRedirected ? 0 : Math.Max(0, SafeWidth() - 1))); _open = true; }
        else writer.WriteLine(line);
    }

    public void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> meanTerms)
    {
        Close();
        writer.WriteLine($"epoch {epoch + 1}: " + string.Join(", ", meanTerms.Select(t => $"mean {t.Key} {t.Value:F4}")));
    }

    public void OnCheckpoint(string path, long step)
    {
        if (redraw) return;                                   // on a terminal the bar says enough; logs get the line
        writer.WriteLine($"checkpoint at iteration {step}: {path}");
    }

    public void OnMessage(string message)
    {
        Close();
        writer.WriteLine(message);
    }

    public void Close()
    {
        if (!_open) return;
        writer.WriteLine();
        _open = false;
    }

    static int SafeWidth()
    {
        try { return Console.WindowWidth; } catch (IOException) { return 120; }
    }

    static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}" : $"{t.Minutes}:{t.Seconds:D2}";
}
