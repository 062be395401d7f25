using System.Text.Json.Nodes;
using Folk.Lab.Interactive.Widgets;

namespace Folk.Lab.Interactive.Tests.Widgets;

/// <summary>The widget models' side of the classic front end's protocol (jupyter-js-widgets 2.1), against a recording
/// channel; the same messages through a real kernel and front end are tested in the kernel and browser tests.</summary>
[Collection(nameof(WidgetCollection))]
public sealed class WidgetProtocolTests
{
    [Fact]
    public void ShowingASliderOpensItsLayoutAndStyleFirstThenItselfWithTheWholeStateAndAsksForAView()
    {
        using var front = new RecordingChannel();
        var slider = new IntSlider(3, 0, 10, 2, "radius");
        var bundle = slider.Show();

        var opens = front.Messages.Where(m => m.Kind == "open").ToList();
        Assert.Equal(["LayoutModel", "SliderStyleModel", "IntSliderModel"], opens.Select(o => o.Data["_model_name"]!.GetValue<string>()));
        var state = opens[^1].Data;
        Assert.Equal(slider.Id, opens[^1].CommId);
        Assert.Equal((3, 0, 10, 2, "radius"), (state["value"]!.GetValue<int>(), state["min"]!.GetValue<int>(), state["max"]!.GetValue<int>(), state["step"]!.GetValue<int>(), state["description"]!.GetValue<string>()));
        Assert.Equal("IPY_MODEL_" + opens[0].CommId, state["layout"]!.GetValue<string>());
        Assert.Equal("IPY_MODEL_" + opens[1].CommId, state["style"]!.GetValue<string>());
        Assert.All(opens, o => Assert.Equal((Widget.Module, Widget.ModuleVersion), (o.Data["_model_module"]!.GetValue<string>(), o.Data["_model_module_version"]!.GetValue<string>())));
        // the keys ipywidgets 6 sends for an IntSlider, so the front end's model starts complete
        Assert.Equal(["_dom_classes", "_model_module", "_model_module_version", "_model_name", "_range", "_view_module", "_view_module_version",
                      "_view_name", "continuous_update", "description", "disabled", "layout", "max", "min", "msg_throttle", "orientation",
                      "readout", "readout_format", "step", "style", "value"], state.Select(p => p.Key).Order(StringComparer.Ordinal));

        Assert.Equal(("msg", slider.Id, "display"), (front.Messages[^1].Kind, front.Messages[^1].CommId, front.Messages[^1].Data["method"]!.GetValue<string>()));
        Assert.Equal(slider.Id, JsonNode.Parse(bundle["application/vnd.jupyter.widget-view+json"])!["model_id"]!.GetValue<string>());
        Assert.Equal("IntSlider(value=3, description='radius')", bundle["text/plain"]);

        slider.Show();                                                            // a second view: no second comm
        Assert.Equal(3, front.Messages.Count(m => m.Kind == "open"));
    }

    [Fact]
    public void ChangesTravelBothWaysAndFireChangedOncePerChange()
    {
        using var front = new RecordingChannel();
        var keep = new FloatSlider(0.05, 0.005, 0.5, 0.005, "keep τ");
        keep.Show();
        var seen = new List<double>();
        keep.Changed += seen.Add;

        RecordingChannel.FrontEndSets(keep, "value", 0.25);
        RecordingChannel.FrontEndSets(keep, "value", 1);                         // the front end may send 1 for 1.0
        keep.Value = 0.125;
        Assert.Equal([0.25, 1.0, 0.125], seen);
        var update = front.Messages[^1];
        Assert.Equal(("msg", keep.Id), (update.Kind, update.CommId));
        Assert.Equal("update", update.Data["method"]!.GetValue<string>());
        Assert.Equal(0.125, update.Data["state"]!["value"]!.GetValue<double>());

        Assert.True(Widget.Receive(keep.Id, new JsonObject { ["method"] = "request_state" }));
        Assert.Equal(0.125, front.Messages[^1].Data["state"]!["value"]!.GetValue<double>());   // the whole state again
        Assert.Equal("FloatSliderModel", front.Messages[^1].Data["state"]!["_model_name"]!.GetValue<string>());
        Assert.False(Widget.Receive("no-such-comm", new JsonObject { ["method"] = "request_state" }));

        keep.Close();
        Assert.Equal(("close", keep.Id), (front.Messages[^1].Kind, front.Messages[^1].CommId));
        Assert.False(Widget.Receive(keep.Id, new JsonObject { ["method"] = "request_state" }));
    }

    [Fact]
    public void AButtonClickArrivesAsACustomMessageAndDropdownAndToggleCarryTheirValues()
    {
        using var front = new RecordingChannel();
        var button = new Button("go");
        var strategy = new Dropdown(["low-pass", "high-pass", "Com"], "Com");
        var average = new ToggleButton(description: "average spectrum");
        Box.Horizontal(button, strategy, average).Show();
        int clicks = 0;
        button.Clicked += _ => clicks++;

        Assert.True(Widget.Receive(button.Id, new JsonObject { ["method"] = "custom", ["content"] = new JsonObject { ["event"] = "click" } }));
        RecordingChannel.FrontEndSets(strategy, "value", "high-pass");
        RecordingChannel.FrontEndSets(average, "value", true);
        Assert.Equal((1, "high-pass", true), (clicks, strategy.Value, average.Value));
        var options = front.Messages.Single(m => m.Kind == "open" && m.CommId == strategy.Id).Data["_options_labels"]!.AsArray();
        Assert.Equal(["low-pass", "high-pass", "Com"], options.Select(o => o!.GetValue<string>()));
        Assert.Contains("not one of the options", Assert.Throws<ArgumentException>(() => new Dropdown(["a"], "b")).Message);
        Assert.Contains("min (5) must not exceed max (1)", Assert.Throws<ArgumentException>(() => new IntSlider(0, 5, 1)).Message);
    }

    [Fact]
    public void AnOutputClaimsTheServedMessageWhileItReplacesItsContentThenReleasesIt()
    {
        using var front = new RecordingChannel { ParentMessageId = "comm-msg-7" };
        var output = new Output();
        output.Show();
        front.Messages.Clear();

        output.Replace("radius is 7");
        var claims = front.Messages.Where(m => m.Kind == "msg" && m.CommId == output.Id).Select(m => m.Data["state"]!["msg_id"]!.GetValue<string>());
        Assert.Equal(["comm-msg-7", ""], claims);
        var order = front.Messages.Select(m => m.Kind).ToList();
        Assert.Equal(["msg", "clear", "msg"], order);                           // claim, clear (wait), release; the display in between
        Assert.True(front.Messages[1].Data["wait"]!.GetValue<bool>());
        Assert.Equal(["radius is 7"], front.Displayed);
        Assert.Equal("radius is 7", output.Current);
    }

    [Fact]
    public void InteractRunsTheFunctionAtOnceAndAgainOnEveryChange()
    {
        using var front = new RecordingChannel();
        var radius = new IntSlider(4, 1, 16);
        var strategy = new Dropdown(["low-pass", "high-pass"]);
        var calls = 0;
        var box = Interact.With((int r, string s) => { calls++; return $"{s} {r}"; }, radius, strategy);
        var output = Assert.IsType<Output>(box.Children[^1]);
        Assert.Equal((1, "low-pass 4"), (calls, output.Current));

        RecordingChannel.FrontEndSets(radius, "value", 9);
        RecordingChannel.FrontEndSets(strategy, "value", "high-pass");
        Assert.Equal((3, "high-pass 9"), (calls, output.Current));
        Assert.Equal(["low-pass 4", "low-pass 9", "high-pass 9"], front.Displayed);
    }

    [Fact]
    public void WithoutAFrontEndWidgetsArePlainObjects()
    {
        Widget.Connect(null);
        var radius = new IntSlider(2, 0, 8);
        var box = Interact.With((int r) => r * r, radius);
        radius.Value = 5;
        Assert.Equal(25, ((Output)box.Children[^1]).Current);
        Assert.Equal("Box(IntSlider(value=5), Output(25))", box.ToString());
        Assert.Equal("Box(IntSlider(value=5), Output(25))", box.Show()["text/plain"]);
    }
}
