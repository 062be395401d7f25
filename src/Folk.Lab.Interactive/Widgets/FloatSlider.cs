using System.Text.Json.Nodes;

namespace Folk.Lab.Interactive.Widgets;

/// <summary>A slider over real numbers from <see cref="Min"/> to <see cref="Max"/> by <see cref="Step"/>.</summary>
public sealed class FloatSlider : ValueWidget<double>
{
    /// <summary>A slider at <paramref name="value"/>, showing <paramref name="readoutFormat"/> (a d3-format, e.g. ".2f", ".1%").</summary>
    public FloatSlider(double value = 0, double min = 0, double max = 100, double step = 0.1, string description = "", string readoutFormat = ".2f")
        : base("FloatSliderModel", "FloatSliderView", description)
    {
        if (min > max) throw new ArgumentException($"min ({min}) must not exceed max ({max}).", nameof(min));
        State["min"] = min;
        State["max"] = max;
        State["step"] = step;
        State["value"] = Math.Clamp(value, min, max);
        State["orientation"] = "horizontal";
        State["readout"] = true;
        State["readout_format"] = readoutFormat;
        State["continuous_update"] = true;
        State["_range"] = false;
        State["slider_color"] = null;
    }

    /// <summary>The smallest value.</summary>
    public double Min => FromState(State["min"]);

    /// <summary>The largest value.</summary>
    public double Max => FromState(State["max"]);

    /// <summary>The distance between two positions.</summary>
    public double Step => FromState(State["step"]);

    /// <summary>Whether dragging reports every position (true) or only the one where the handle is released.</summary>
    public bool ContinuousUpdate
    {
        get => Get<bool>("continuous_update");
        set => Set("continuous_update", value);
    }

    /// <inheritdoc/>
    protected override double FromState(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d
        : node is JsonValue i && i.TryGetValue<int>(out var n) ? n : 0; // the front end may send 5 for 5.0
}
