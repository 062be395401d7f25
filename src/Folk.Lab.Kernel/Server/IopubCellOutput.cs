using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Display;
using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Protocol;
using Folk.Lab.Kernel.Sockets;

namespace Folk.Lab.Kernel.Server;

/// <summary>A cell's outputs published on iopub as stream, display_data and update_display_data, parented to its request.</summary>
public sealed class IopubCellOutput(IopubChannel iopub, Message request, string session) : ICellOutput
{
    /// <inheritdoc/>
    public void Stream(string name, string text) =>
        iopub.Publish(request.Broadcast("stream", new JsonObject { ["name"] = name, ["text"] = text }, session));

    /// <inheritdoc/>
    public void Display(MimeBundle data, string displayId) => Publish("display_data", data, displayId);

    /// <inheritdoc/>
    public void UpdateDisplay(MimeBundle data, string displayId) => Publish("update_display_data", data, displayId);

    void Publish(string type, MimeBundle data, string displayId) =>
        iopub.Publish(request.Broadcast(type, new JsonObject
        {
            ["data"] = data.ToJson(),
            ["metadata"] = new JsonObject(),
            ["transient"] = new JsonObject { ["display_id"] = displayId },
        }, session));
}

/// <summary>Outputs of a silent execution: dropped, as the protocol asks.</summary>
public sealed class SilentCellOutput : ICellOutput
{
    /// <inheritdoc/>
    public void Stream(string name, string text) { }

    /// <inheritdoc/>
    public void Display(MimeBundle data, string displayId) { }

    /// <inheritdoc/>
    public void UpdateDisplay(MimeBundle data, string displayId) { }
}
