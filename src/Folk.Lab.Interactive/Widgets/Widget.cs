using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Folk.Lab.Interactive.Widgets;

/// <summary>
/// A widget model kept in sync with a front end over a Jupyter comm, as ipywidgets does: the model's state is a JSON
/// object; the kernel sends the whole of it when the comm opens and each change as an <c>update</c>; the front end sends
/// its changes (<c>backbone</c>), asks for the state again (<c>request_state</c>) or sends <c>custom</c> messages (a
/// button's click). Displaying a widget opens its comm and shows a view of it.
/// </summary>
/// <remarks>
/// The protocol is the one of the classic Notebook's widget front end that Debian ships (jupyter-js-widgets 2.1, the
/// front end of ipywidgets 6; models in the <c>jupyter-js-widgets</c> module, versions <c>~2.1.4</c>), which validates
/// the kernel on the <c>jupyter.widget.version</c> comm and shows a view on a <c>display</c> message. The display data
/// also carries <c>application/vnd.jupyter.widget-view+json</c> with the model id, as that front end saves it. Without a
/// channel (a headless run) widgets are plain objects: their values can be set and read, and their handlers run.
/// </remarks>
public abstract class Widget
{
    /// <summary>The model module and version of every model (jupyter-js-widgets, the front end of ipywidgets 6).</summary>
    public const string Module = "jupyter-js-widgets", ModuleVersion = "~2.1.4";

    static readonly ConcurrentDictionary<string, Widget> Open = new();

    /// <summary>The channel to the front end, or null (no kernel, or a front end without comms).</summary>
    public static IWidgetChannel? Channel { get; private set; }

    /// <summary>Connects every widget to <paramref name="channel"/> (the kernel does it once, at start).</summary>
    public static void Connect(IWidgetChannel? channel) => Channel = channel;

    /// <summary>Routes a comm message from the front end to its widget; false when no open widget has that comm.</summary>
    public static bool Receive(string commId, JsonObject data)
    {
        if (!Open.TryGetValue(commId, out var widget)) return false;
        widget.Handle(data);
        return true;
    }

    /// <summary>Forgets a widget whose comm the front end closed.</summary>
    public static void Closed(string commId) => Open.TryRemove(commId, out _);

    /// <summary>The model's state, as sent to the front end.</summary>
    protected JsonObject State { get; }

    bool _opened;

    /// <summary>A model named <paramref name="modelName"/> shown by <paramref name="viewName"/> (null: no view, e.g. a layout).</summary>
    protected Widget(string modelName, string? viewName)
    {
        State = new JsonObject
        {
            ["_model_module"] = Module, ["_model_module_version"] = ModuleVersion, ["_model_name"] = modelName,
            ["_view_module"] = viewName is null ? null : Module, ["_view_module_version"] = ModuleVersion, ["_view_name"] = viewName,
            ["msg_throttle"] = 1,
        };
    }

    /// <summary>The comm and model id.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");

    /// <summary>A reference to this model in another model's state ("IPY_MODEL_" + id); opens this one's comm first.</summary>
    public string Reference
    {
        get { EnsureOpen(); return "IPY_MODEL_" + Id; }
    }

    /// <summary>The state value of <paramref name="key"/>.</summary>
    protected T Get<T>(string key) => State[key] is { } node ? node.GetValue<T>() : default!;

    /// <summary>Sets one state value and sends it to the front end (when the comm is open).</summary>
    protected void Set(string key, JsonNode? value)
    {
        State[key] = value;
        if (_opened) Channel?.Send(Id, new JsonObject { ["method"] = "update", ["state"] = new JsonObject { [key] = value?.DeepClone() }, ["buffers"] = new JsonArray() });
    }

    /// <summary>Called after the front end changed <paramref name="key"/> (the state holds the new value).</summary>
    protected virtual void OnChangedByFrontEnd(string key) { }

    /// <summary>Called for a <c>custom</c> message from the front end.</summary>
    protected virtual void OnCustomMessage(JsonNode? content) { }

    /// <summary>Opens the comm (with the whole state) if it is not open and a channel exists; child models open first.</summary>
    protected void EnsureOpen()
    {
        if (_opened || Channel is not { } channel) return;
        var state = (JsonObject)State.DeepClone();   // references to children open them before this one
        _opened = true;
        Open[Id] = this;
        channel.Open(Id, state);
    }

    /// <summary>Shows a view of the widget where the current cell's outputs go: what displaying it does. Returns the
    /// display data (the view's model id and a text line for front ends without widgets).</summary>
    public IReadOnlyDictionary<string, string> Show()
    {
        EnsureOpen();
        if (_opened) Channel?.Send(Id, new JsonObject { ["method"] = "display" });
        return new Dictionary<string, string>
        {
            ["text/plain"] = ToString() ?? GetType().Name,
            ["application/vnd.jupyter.widget-view+json"] = new JsonObject { ["model_id"] = Id, ["version_major"] = 2, ["version_minor"] = 0 }.ToJsonString(),
        };
    }

    /// <summary>Closes the comm: the front end removes the views.</summary>
    public void Close()
    {
        if (!_opened) return;
        _opened = false;
        Open.TryRemove(Id, out _);
        Channel?.Close(Id);
    }

    void Handle(JsonObject data)
    {
        switch (data["method"]?.GetValue<string>())
        {
            case "backbone" or "update" when (data["sync_data"] ?? data["state"]) is JsonObject changes:
                foreach (var (key, value) in changes.ToList())
                {
                    State[key] = value?.DeepClone();
                    OnChangedByFrontEnd(key);
                }
                break;
            case "request_state":
                Channel?.Send(Id, new JsonObject { ["method"] = "update", ["state"] = State.DeepClone(), ["buffers"] = new JsonArray() });
                break;
            case "custom":
                OnCustomMessage(data["content"]);
                break;
        }
    }
}
