using System.Text.Json.Nodes;

namespace Folk.Lab.Interactive.Widgets;

/// <summary>Widgets laid out in a column (<see cref="Vertical"/>) or a row (<see cref="Horizontal"/>).</summary>
public sealed class Box : DomWidget
{
    Box(string model, string view, IReadOnlyList<Widget> children) : base(model, view)
    {
        Children = children;
        State["box_style"] = "";
        State["children"] = new JsonArray(children.Select(c => (JsonNode)JsonValue.Create(c.Reference)!).ToArray());
    }

    /// <summary>A column (ipywidgets' VBox).</summary>
    public static Box Vertical(params Widget[] children) => new("VBoxModel", "VBoxView", children);

    /// <summary>A row (ipywidgets' HBox).</summary>
    public static Box Horizontal(params Widget[] children) => new("HBoxModel", "HBoxView", children);

    /// <summary>The widgets inside, in order.</summary>
    public IReadOnlyList<Widget> Children { get; }

    /// <inheritdoc/>
    public override string ToString() => $"Box({string.Join(", ", Children)})";
}
