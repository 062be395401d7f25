namespace Folk.Lab.Interactive.Widgets;

/// <summary>An object whose display is a widget layout (the live mask explorer): displaying it shows <see cref="View"/>.</summary>
public interface IWidgetView
{
    /// <summary>The widgets to show.</summary>
    Widget View { get; }
}
