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
    ImmutableArray<MetadataReference> _added = [];
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
    public void AddReferences(IEnumerable<string> paths)
    {
        var references = paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
        _options = _options.AddReferences(references);
        _added = _added.AddRange(references);
    }

    /// <summary>
    /// Runs one cell and returns the value of its last expression (null for a statement). Compilation errors throw
    /// <see cref="CompilationErrorException"/> with line and column; runtime exceptions propagate as thrown.
    /// </summary>
    /// <remarks>
    /// A later cell is given only the references added since the previous cell compiled: a submission already binds
    /// its predecessors' references through the submission chain, and passing the full list again with every cell made
    /// the compilations' reference binding grow with the number of cells. After 350 cells the heap held 224 reference
    /// arrays of about 3,600 entries and 700 dictionaries over them, 45 % of the retained heap (a GC heap dump), and the
    /// kernel grew quadratically: 290–333 MiB over 500 cells, 53 MiB now.
    /// </remarks>
    public async Task<object?> RunAsync(string code, CancellationToken cancellation = default)
    {
        code = CellDirectives.Parse(code).Code;
        var state = _state is null
            ? await CSharpScript.RunAsync(code, _options, Context, typeof(CellContext), cancellation)
            : await _state.ContinueWithAsync(code, _options.WithReferences(_added), cancellation);
        _state = state;
        _added = [];
        _submitted.Add(code);
        if (state.Exception is { } e) throw new System.Reflection.TargetInvocationException(e.Message, e);
        return state.ReturnValue;
    }

    /// <summary>The compilation of the last cell that compiled (null before the first): the session's symbols, and the
    /// references every later cell starts from.</summary>
    public Compilation? Compilation => _state?.Script.GetCompilation();

    /// <summary>Whether earlier cells defined a variable <paramref name="name"/>.</summary>
    public bool HasVariable(string name) => _state?.GetVariable(name) is not null;

    /// <summary>
    /// Defines the variable <paramref name="name"/> for later cells, holding <paramref name="value"/> with its runtime
    /// type (object for null): what <c>#!share</c> does in a C# cell. A variable of that name is shadowed, as a cell's
    /// own <c>var</c> would.
    /// </summary>
    public async Task DefineAsync(string name, object? value, CancellationToken cancellation = default)
    {
        if (!Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(name))
            throw new ArgumentException($"'{name}' is not a C# variable name; choose one with --as.", nameof(name));
        Context.Incoming[name] = value;
        try { await RunAsync($"var {name} = ({TypeName(value?.GetType() ?? typeof(object))})Incoming[\"{name}\"];", cancellation); }
        finally { Context.Incoming.Remove(name); }
    }

    /// <summary>The C# spelling of <paramref name="type"/>: global::Namespace.Outer.Inner&lt;Arguments&gt;.</summary>
    public static string TypeName(Type type)
    {
        if (type.IsArray) return $"{TypeName(type.GetElementType()!)}[{new string(',', type.GetArrayRank() - 1)}]";
        var name = "global::" + (type.FullName ?? type.Name).Split('`')[0].Replace('+', '.');
        return type.IsGenericType ? $"{name}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>" : name;
    }

    /// <summary>The value of a variable defined by earlier cells.</summary>
    public object? Variable(string name) => _state?.GetVariable(name)?.Value;
}
