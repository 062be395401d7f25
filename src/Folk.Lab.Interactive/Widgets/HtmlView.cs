namespace Folk.Lab.Interactive.Widgets;

/// <summary>A piece of HTML that a handler can replace (e.g. a freshly rendered image).</summary>
public sealed class HtmlView : ValueWidget<string>
{
    /// <summary>A view showing <paramref name="html"/>.</summary>
    public HtmlView(string html = "", string description = "") : base("HTMLModel", "HTMLView", description)
    {
        State["value"] = html;
        State["placeholder"] = "\u200b";
    }

    /// <inheritdoc/>
    public override string ToString() => $"HtmlView({Value.Length} characters)";
}
