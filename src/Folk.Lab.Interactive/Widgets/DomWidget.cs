using System.Text.Json.Nodes;

namespace Folk.Lab.Interactive.Widgets;

/// <summary>A widget with a view on the page: a layout, CSS classes, a description label and a disabled flag.</summary>
public abstract class DomWidget : Widget
{
    /// <summary>A model named <paramref name="modelName"/> shown by <paramref name="viewName"/>, labelled <paramref name="description"/>.</summary>
    protected DomWidget(string modelName, string viewName, string description = "") : base(modelName, viewName)
    {
        State["_dom_classes"] = new JsonArray();
        State["layout"] = Layout.Reference;
        if (modelName is not ("OutputModel" or "VBoxModel" or "HBoxModel"))
        {
            State["description"] = description;
            State["disabled"] = false;
        }
    }

    /// <summary>The CSS layout (width, height, …).</summary>
    public StyleModel Layout { get; } = StyleModel.Layout();

    /// <summary>The label shown next to the control.</summary>
    public string Description
    {
        get => Get<string>("description");
        set => Set("description", value);
    }

    /// <summary>Whether the control ignores the user.</summary>
    public bool Disabled
    {
        get => Get<bool>("disabled");
        set => Set("disabled", value);
    }
}

/// <summary>A control with a value that the user changes; <see cref="Changed"/> fires after each change, from either side.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public abstract class ValueWidget<T> : DomWidget
{
    /// <summary>A control whose model is <paramref name="modelName"/>.</summary>
    protected ValueWidget(string modelName, string viewName, string description) : base(modelName, viewName, description) { }

    /// <summary>Fires with the new value after the front end or the code changed it.</summary>
    public event Action<T>? Changed;

    /// <summary>The current value.</summary>
    public T Value
    {
        get => FromState(State["value"]);
        set
        {
            Set("value", ToState(value));
            Changed?.Invoke(Value);
        }
    }

    /// <summary>The value as the state holds it.</summary>
    protected virtual JsonNode? ToState(T value) => JsonValue.Create(value);

    /// <summary>The value from its state form.</summary>
    protected virtual T FromState(JsonNode? node) => node is null ? default! : node.GetValue<T>();

    /// <inheritdoc/>
    protected override void OnChangedByFrontEnd(string key)
    {
        if (key == "value") Changed?.Invoke(Value);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name}(value={Value}{(Description.Length > 0 ? $", description='{Description}'" : "")})";
}
