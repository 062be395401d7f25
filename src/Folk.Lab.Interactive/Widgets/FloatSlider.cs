using System.Text.Json.Nodes;

namespace Folk.Lab.Interactive.Widgets;

/// <summary>A slider over real numbers from <see cref="Slider{T}.Min"/> to <see cref="Slider{T}.Max"/>.</summary>
public sealed class FloatSlider : Slider<double>
{
    /// <summary>A slider at <paramref name="value"/>, showing <paramref name="readoutFormat"/> (a d3-format, e.g. ".2f", ".1%").</summary>
    public FloatSlider(double value = 0, double min = 0, double max = 100, double step = 0.1, string description = "", string readoutFormat = ".2f")
        : base("FloatSliderModel", "FloatSliderView", value, min, max, step, description, readoutFormat)
        => State["slider_color"] = null;

    /// <inheritdoc/>
    protected override double FromState(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d
        : node is JsonValue i && i.TryGetValue<int>(out var n) ? n : 0; // the front end may send 5 for 5.0
}
