using System.Text.Json.Nodes;

namespace Folk.Lab.Interactive.Widgets;

/// <summary>What <see cref="IntSlider"/> and <see cref="FloatSlider"/> share: a horizontal slider from a minimum to a
/// maximum by a step, with a readout, reporting every position while dragged.</summary>
/// <typeparam name="T">int or double.</typeparam>
public abstract class Slider<T> : ValueWidget<T> where T : struct, IComparable<T>
{
    /// <summary>A slider model <paramref name="modelName"/> at <paramref name="value"/> (clamped into the range).</summary>
    protected Slider(string modelName, string viewName, T value, T min, T max, T step, string description, string readoutFormat)
        : base(modelName, viewName, description)
    {
        if (min.CompareTo(max) > 0) throw new ArgumentException($"min ({min}) must not exceed max ({max}).", nameof(min));
        State["min"] = ToState(min);
        State["max"] = ToState(max);
        State["step"] = ToState(step);
        State["value"] = ToState(value.CompareTo(min) < 0 ? min : value.CompareTo(max) > 0 ? max : value);
        State["orientation"] = "horizontal";
        State["readout"] = true;
        State["readout_format"] = readoutFormat;
        State["continuous_update"] = true;
        State["_range"] = false;
    }

    /// <summary>The smallest value.</summary>
    public T Min => FromState(State["min"]);

    /// <summary>The largest value.</summary>
    public T Max => FromState(State["max"]);

    /// <summary>The distance between two positions.</summary>
    public T Step => FromState(State["step"]);

    /// <summary>Whether dragging reports every position (true) or only the one where the handle is released.</summary>
    public bool ContinuousUpdate
    {
        get => Get<bool>("continuous_update");
        set => Set("continuous_update", value);
    }
}
