using System.Text.Json.Nodes;

namespace Folk.Lab.Interactive.Widgets;

/// <summary>
/// A model without a view of its own that a control's state refers to: its CSS layout (<c>LayoutModel</c>) or its
/// style (<c>SliderStyleModel</c>, <c>ButtonStyleModel</c>). Every property starts unset (null), as in ipywidgets 6.
/// </summary>
public sealed class StyleModel : Widget
{
    StyleModel(string modelName, string viewName, params string[] properties) : base(modelName, viewName)
    {
        foreach (var property in properties) State[property] = null;
    }

    /// <summary>A control's layout: CSS box properties (width, height, margin, …).</summary>
    public static StyleModel Layout() => new("LayoutModel", "LayoutView",
        "align_content", "align_items", "align_self", "border", "bottom", "display", "flex", "flex_flow", "height",
        "justify_content", "left", "margin", "max_height", "max_width", "min_height", "min_width", "order", "overflow",
        "overflow_x", "overflow_y", "padding", "right", "top", "visibility", "width");

    /// <summary>A slider's style.</summary>
    public static StyleModel Slider() => new("SliderStyleModel", "StyleView", "handle_color");

    /// <summary>A button's style.</summary>
    public static StyleModel Button()
    {
        var style = new StyleModel("ButtonStyleModel", "StyleView", "button_color");
        style.State["font_weight"] = "";
        return style;
    }

    /// <summary>Sets one CSS property (e.g. "width", "320px").</summary>
    public void SetProperty(string name, string? value) => Set(name, value is null ? null : JsonValue.Create(value));
}
