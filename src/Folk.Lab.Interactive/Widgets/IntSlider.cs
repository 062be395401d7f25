namespace Folk.Lab.Interactive.Widgets;

/// <summary>A slider over whole numbers from <see cref="Slider{T}.Min"/> to <see cref="Slider{T}.Max"/>.</summary>
public sealed class IntSlider : Slider<int>
{
    /// <summary>A slider at <paramref name="value"/>.</summary>
    public IntSlider(int value = 0, int min = 0, int max = 100, int step = 1, string description = "")
        : base("IntSliderModel", "IntSliderView", value, min, max, step, description, "d")
        => State["style"] = StyleModel.Slider().Reference;
}
