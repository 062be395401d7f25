using Folk.Lab.Methods;

namespace Folk.Lab.Experiments;

/// <summary>
/// Methods by their command-line names: each name maps to the method's default settings for a model (the official
/// config's; ResNet-50 differs from the ViTs for MFM's p_low). The CLI turns <c>--method</c> into a
/// <see cref="MethodConfig"/> here and nowhere else, so a new method is one config file plus one line in
/// <see cref="Default"/>.
/// </summary>
public sealed class MethodRegistry
{
    readonly IReadOnlyList<(string Name, Func<string, MethodConfig> Preset)> _methods;

    MethodRegistry(IReadOnlyList<(string, Func<string, MethodConfig>)> methods) => _methods = methods;

    /// <summary>The methods Folk.Lab ships.</summary>
    public static MethodRegistry Default { get; } = new MethodRegistry(Array.Empty<(string, Func<string, MethodConfig>)>())
        .With("mfm", model => model == "resnet50" ? MfmConfig.ResNet50 : new MfmConfig())
        .With("sr", _ => new SuperResolutionConfig())
        .With("deblur", _ => new DeblurConfig())
        .With("denoise", _ => new DenoiseConfig())
        .With("folk", model => model == "resnet50" ? FolkConfig.ResNet50 : new FolkConfig());

    /// <summary>The names, in registration order.</summary>
    public IReadOnlyList<string> Names => _methods.Select(m => m.Name).ToArray();

    /// <summary>A registry with one more method: <paramref name="preset"/> gives its default settings for a model name.</summary>
    public MethodRegistry With(string name, Func<string, MethodConfig> preset)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A method needs a name.", nameof(name));
        if (Names.Contains(name)) throw new ArgumentException($"A method named '{name}' is registered already.", nameof(name));
        return new MethodRegistry(_methods.Append((name, preset)).ToArray());
    }

    /// <summary>The default settings of method <paramref name="name"/> for <paramref name="model"/>.</summary>
    public MethodConfig For(string name, string model)
    {
        var entry = _methods.FirstOrDefault(m => m.Name == name);
        if (entry.Preset is null)
            throw new ArgumentException($"Unknown method '{name}'; use one of: {string.Join(", ", Names)}.", nameof(name));
        var config = entry.Preset(model);
        if (config.Name != name)
            throw new InvalidOperationException($"The method registered as '{name}' builds settings named '{config.Name}'; register it under its own name.");
        return config;
    }
}
