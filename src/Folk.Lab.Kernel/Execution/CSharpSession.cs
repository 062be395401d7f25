using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// C# cells run one after another with their state carried over, as in a notebook: variables, types and usings of a
/// cell are visible to the next. Folk.Lab, Folk.Lab.Interactive and TorchSharp are referenced from the start; the
/// members of <see cref="CellContext"/> (<c>display</c>, <c>Cancellation</c>) are in scope.
/// </summary>
public sealed class CSharpSession
{
    ScriptState<object>? _state;
    ScriptOptions _options;
    readonly List<string> _submitted = [];

    /// <summary>A fresh session whose cells resolve relative paths (<c>#r</c>, <c>#load</c>) against <paramref name="workingDirectory"/>.</summary>
    public CSharpSession(string? workingDirectory = null)
    {
        var directory = workingDirectory ?? Environment.CurrentDirectory;
        var references = new[]
        {
            typeof(TorchSharp.torch).Assembly, typeof(Folk.Lab.Frequency.Spectrum).Assembly,
            typeof(Folk.Lab.Interactive.Rendering.RgbImage).Assembly, typeof(CellContext).Assembly,
            typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly, typeof(Microsoft.Data.Analysis.DataFrame).Assembly,
        };
        _options = ScriptOptions.Default
            .AddReferences(references)
            .AddImports(DefaultImports)
            .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, directory))
            .WithMetadataResolver(new CachingMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(directory)))
            .WithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest);
    }

    /// <summary>The namespaces every cell imports.</summary>
    public static IReadOnlyList<string> DefaultImports { get; } =
        ["System", "System.IO", "System.Linq", "System.Threading", "System.Threading.Tasks", "System.Collections.Generic", "TorchSharp"];

    /// <summary>The globals object of the cells.</summary>
    public CellContext Context { get; } = new();

    /// <summary>The options of the next cell (references and imports), for completion over the same context.</summary>
    public ScriptOptions Options => _options;

    /// <summary>The code of the cells that compiled, in order.</summary>
    public IReadOnlyList<string> Submitted => _submitted;

    /// <summary>Adds assemblies (e.g. restored packages) to every later cell.</summary>
    public void AddReferences(IEnumerable<string> paths) =>
        _options = _options.AddReferences(paths.Select(p => MetadataReference.CreateFromFile(p)));

    /// <summary>
    /// Runs one cell and returns the value of its last expression (null for a statement). Compilation errors throw
    /// <see cref="CompilationErrorException"/> with line and column; runtime exceptions propagate as thrown.
    /// </summary>
    public async Task<object?> RunAsync(string code, CancellationToken cancellation = default)
    {
        code = CellDirectives.Parse(code).Code;
        var state = _state is null
            ? await CSharpScript.RunAsync(code, _options, Context, typeof(CellContext), cancellation)
            : await _state.ContinueWithAsync(code, _options, cancellation);
        _state = state;
        _submitted.Add(code);
        if (state.Exception is { } e) throw new System.Reflection.TargetInvocationException(e.Message, e);
        return state.ReturnValue;
    }

    /// <summary>The value of a variable defined by earlier cells.</summary>
    public object? Variable(string name) => _state?.GetVariable(name)?.Value;
}
