using System.Text.Json.Nodes;

namespace Folk.Lab.Interactive.Widgets;

/// <summary>A push button; <see cref="Clicked"/> fires when the user clicks it (a <c>click</c> custom message).</summary>
public sealed class Button : DomWidget
{
    /// <summary>A button labelled <paramref name="description"/>.</summary>
    public Button(string description = "", string tooltip = "") : base("ButtonModel", "ButtonView", description)
    {
        State["button_style"] = "";
        State["icon"] = "";
        State["tooltip"] = tooltip;
        State["style"] = StyleModel.Button().Reference;
    }

    /// <summary>Fires on each click.</summary>
    public event Action<Button>? Clicked;

    /// <summary>Clicks the button from code, as the front end would.</summary>
    public void Click() => Clicked?.Invoke(this);

    /// <inheritdoc/>
    protected override void OnCustomMessage(JsonNode? content)
    {
        if (content?["event"]?.GetValue<string>() == "click") Click();
    }

    /// <inheritdoc/>
    public override string ToString() => $"Button(description='{Description}')";
}
