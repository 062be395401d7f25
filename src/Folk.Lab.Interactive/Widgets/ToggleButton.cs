namespace Folk.Lab.Interactive.Widgets;

/// <summary>A button that stays pressed (true) or released (false).</summary>
public sealed class ToggleButton : ValueWidget<bool>
{
    /// <summary>A toggle labelled <paramref name="description"/>, pressed when <paramref name="value"/>.</summary>
    public ToggleButton(bool value = false, string description = "", string tooltip = "")
        : base("ToggleButtonModel", "ToggleButtonView", description)
    {
        State["value"] = value;
        State["button_style"] = "";
        State["icon"] = "";
        State["tooltip"] = tooltip;
    }
}
