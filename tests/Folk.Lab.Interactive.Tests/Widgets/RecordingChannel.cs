using System.Text.Json.Nodes;
using Folk.Lab.Interactive.Widgets;

namespace Folk.Lab.Interactive.Tests.Widgets;

/// <summary>A front end that records what the widgets send, connected for one test (<see cref="WidgetCollection"/>).</summary>
public sealed class RecordingChannel : IWidgetChannel, IDisposable
{
    public RecordingChannel() => Widget.Connect(this);

    public List<(string Kind, string CommId, JsonObject Data)> Messages { get; } = [];

    public List<object?> Displayed { get; } = [];

    public string? ParentMessageId { get; set; } = "execute-1";

    public void Open(string commId, JsonObject state) => Messages.Add(("open", commId, state));

    public void Send(string commId, JsonObject data) => Messages.Add(("msg", commId, data));

    public void Close(string commId) => Messages.Add(("close", commId, []));

    public void Display(object? value) => Displayed.Add(value);

    public void ClearOutput(bool wait) => Messages.Add(("clear", "", new JsonObject { ["wait"] = wait }));

    /// <summary>The front end changes <paramref name="key"/> of a model, as a moved control does.</summary>
    public static void FrontEndSets(Widget widget, string key, JsonNode value) =>
        Assert.True(Widget.Receive(widget.Id, new JsonObject { ["method"] = "backbone", ["sync_data"] = new JsonObject { [key] = value } }));

    public void Dispose() => Widget.Connect(null);
}

/// <summary>Tests that connect widgets to a recording front end: the channel is process-wide, so they run alone.</summary>
[CollectionDefinition(nameof(WidgetCollection), DisableParallelization = true)]
public sealed class WidgetCollection;
