namespace Folk.Lab.Interactive.Widgets;

/// <summary>A slider over whole numbers from <see cref="Min"/> to <see cref="Max"/> by <see cref="Step"/>.</summary>
public sealed class IntSlider : ValueWidget<int>
{
    /// <summary>A slider at <paramref name="value"/>; it reports every position while dragged (continuous update).</summary>
    public IntSlider(int value = 0, int min = 0, int max = 100, int step = 1, string description = "")
        : base("IntSliderModel", "IntSliderView", description)
    {
        if (min > max) throw new ArgumentException($"min ({min}) must not exceed max ({max}).", nameof(min));
        State["min"] = min;
        State["max"] = max;
        State["step"] = step;
        State["value"] = Math.Clamp(value, min, max);
        State["orientation"] = "horizontal";
        State["readout"] = true;
        State["readout_format"] = "d";
        State["continuous_update"] = true;
        State["_range"] = false;
        State["style"] = StyleModel.Slider().Reference;
    }

    /// <summary>The smallest value.</summary>
    public int Min => Get<int>("min");

    /// <summary>The largest value.</summary>
    public int Max => Get<int>("max");

    /// <summary>The distance between two positions.</summary>
    public int Step => Get<int>("step");

    /// <summary>Whether dragging reports every position (true) or only the one where the handle is released.</summary>
    public bool ContinuousUpdate
    {
        get => Get<bool>("continuous_update");
        set => Set("continuous_update", value);
    }
}
