using System.Text.Json.Nodes;

namespace Folk.Lab.Interactive.Widgets;

/// <summary>A drop-down list of labelled options; the value is the chosen label.</summary>
public sealed class Dropdown : ValueWidget<string>
{
    /// <summary>A list of <paramref name="options"/> showing <paramref name="value"/> (null: the first).</summary>
    public Dropdown(IReadOnlyList<string> options, string? value = null, string description = "")
        : base("DropdownModel", "DropdownView", description)
    {
        if (options.Count == 0) throw new ArgumentException("A dropdown needs at least one option.", nameof(options));
        if (value is not null && !options.Contains(value))
            throw new ArgumentException($"'{value}' is not one of the options ({string.Join(", ", options)}).", nameof(value));
        Options = options;
        State["_options_labels"] = new JsonArray(options.Select(o => (JsonNode)JsonValue.Create(o)!).ToArray());
        State["value"] = value ?? options[0];
    }

    /// <summary>The labels, in order.</summary>
    public IReadOnlyList<string> Options { get; }
}
