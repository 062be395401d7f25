using System.Diagnostics;
using System.Text;
using Folk.Lab.Interactive.Charts;
using Folk.Lab.Interactive.Rendering;
using Folk.Lab.Training;

namespace Folk.Lab.Interactive.Views;

/// <summary>
/// Training shown live in a notebook: a progress bar (step, epoch, img/s, ETA) and loss and learning-rate curves that
/// redraw in place while the training cell runs, ending as the final static chart in the saved notebook.
/// Pass it to the trainer as its <see cref="ITrainingCallbacks"/>.
/// </summary>
/// <remarks>Redraws at most every <see cref="MinInterval"/> (and always on the last step), so a fast loop does not
/// flood the front end. The curves are inline SVG: no script, so they update on every front end.</remarks>
public sealed class TrainingMonitor : ITrainingCallbacks
{
    readonly ILiveDisplay? _display;
    readonly Stopwatch _sinceDraw = new();
    readonly List<double> _steps = [], _losses = [], _rates = [];
    readonly List<string> _messages = [];
    readonly object _gate = new();

    /// <summary>A monitor that shows itself through <paramref name="display"/> (in a cell: <c>new TrainingMonitor(display)</c>).</summary>
    public TrainingMonitor(Func<object?, ILiveDisplay> display, TimeSpan? minInterval = null) : this(minInterval)
    {
        _display = display(this);
    }

    /// <summary>A monitor that only records (format it yourself, e.g. in tests).</summary>
    public TrainingMonitor(TimeSpan? minInterval = null) => MinInterval = minInterval ?? TimeSpan.FromMilliseconds(250);

    /// <summary>The least time between two redraws.</summary>
    public TimeSpan MinInterval { get; }

    /// <summary>The latest report, or null before the first step.</summary>
    public StepReport? Latest { get; private set; }

    /// <summary>Redraws so far (a test can see that updates happened and were throttled).</summary>
    public int Redraws { get; private set; }

    /// <summary>True once the last step of the run was reported.</summary>
    public bool Finished => Latest is { } r && r.Step + 1 >= r.TotalSteps;

    /// <inheritdoc/>
    public void OnStep(StepReport report)
    {
        lock (_gate)
        {
            Latest = report;
            _steps.Add(report.Step);
            _losses.Add(report.Terms.TryGetValue("loss", out var loss) ? loss : report.Terms.Values.FirstOrDefault(double.NaN));
            _rates.Add(report.LearningRate);
        }
        if (Finished || !_sinceDraw.IsRunning || _sinceDraw.Elapsed >= MinInterval) Redraw();
    }

    /// <inheritdoc/>
    public void OnMessage(string message)
    {
        lock (_gate) _messages.Add(message);
        Redraw();
    }

    /// <summary>Draws the current state now.</summary>
    public void Redraw()
    {
        _sinceDraw.Restart();
        Redraws++;
        _display?.Update(this);
    }

    /// <summary>Progress bar, status line, loss and learning-rate curves, messages.</summary>
    public string ToHtml()
    {
        lock (_gate)
        {
            var html = new StringBuilder($"<div class=\"folk-view folk-training\" style=\"{Html.Font}\">");
            double fraction = Latest is { } r ? (r.Step + 1.0) / Math.Max(1, r.TotalSteps) : 0;
            string bar = Finished ? "#2e7d32" : "#6a1b9a";
            html.Append($"<div style=\"width:720px;height:10px;background:#eee;border-radius:5px;overflow:hidden\">")
                .Append($"<div class=\"folk-progress\" style=\"width:{fraction * 100:F1}%;height:100%;background:{bar}\"></div></div>")
                .Append($"<div style=\"margin:4px 0 6px\">{Html.Encode(Status())}</div>")
                .Append("<div style=\"display:flex;gap:8px\">")
                .Append(new SvgLineChart("loss", _steps.ToArray(), _losses.ToArray(), LogY: _losses.Where(double.IsFinite).DefaultIfEmpty(1).Min() > 0).ToSvg())
                .Append(new SvgLineChart("learning rate", _steps.ToArray(), _rates.ToArray(), Colour: "#e65100").ToSvg())
                .Append("</div>");
            foreach (var m in _messages.TakeLast(5)) html.Append($"<div style=\"color:#555\">{Html.Encode(m)}</div>");
            return html.Append("</div>").ToString();
        }
    }

    /// <summary>One line: step, epoch, loss, img/s, elapsed and ETA.</summary>
    public string Status()
    {
        if (Latest is not { } r) return "waiting for the first step…";
        string loss = r.Terms.TryGetValue("loss", out var l) ? $" · loss {l:g4}" : "";
        string eta = Finished ? $"done in {Format(r.Elapsed)}" : $"elapsed {Format(r.Elapsed)} · ETA {Format(r.Remaining)}";
        return $"step {r.Step + 1}/{r.TotalSteps} · epoch {r.Epoch + 1}/{r.Epochs}{loss} · lr {r.LearningRate:g3} · {r.ImagesPerSecond:F1} img/s · {eta}";
    }

    static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"m\:ss");

    /// <inheritdoc/>
    public override string ToString() => "TrainingMonitor: " + Status();
}
