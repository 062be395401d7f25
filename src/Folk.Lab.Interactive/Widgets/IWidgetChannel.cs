using System.Text.Json.Nodes;

namespace Folk.Lab.Interactive.Widgets;

/// <summary>
/// Where widgets talk to a front end: the Jupyter comms of the kernel that runs the notebook (Folk.Lab's kernel
/// registers one with <see cref="Widget.Connect"/>). Every message goes out parented to the request the kernel is
/// serving: the cell that displays a widget, or the front end's message that moved a control.
/// </summary>
public interface IWidgetChannel
{
    /// <summary>Opens the comm <paramref name="commId"/> on the <c>jupyter.widget</c> target with the model's whole state.</summary>
    void Open(string commId, JsonObject state);

    /// <summary>Sends <paramref name="data"/> on an open comm.</summary>
    void Send(string commId, JsonObject data);

    /// <summary>Closes a comm.</summary>
    void Close(string commId);

    /// <summary>The id of the message being served (an execute_request or a comm_msg); outputs published now carry it as
    /// their parent, which is how an <see cref="Output"/> widget claims them.</summary>
    string? ParentMessageId { get; }

    /// <summary>Publishes <paramref name="value"/> as display_data, formatted like any displayed value.</summary>
    void Display(object? value);

    /// <summary>Publishes clear_output (<paramref name="wait"/>: clear when the next output arrives, so nothing flickers).</summary>
    void ClearOutput(bool wait);
}
