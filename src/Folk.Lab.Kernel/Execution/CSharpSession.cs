using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// C# cells run one after another with their state carried over, as in a notebook: variables, types and usings of a
/// cell are visible to the next. Folk.Lab, Folk.Lab.Interactive and TorchSharp are referenced from the start.
/// </summary>
public sealed class CSharpSession
{
    ScriptState<object>? _state;
    readonly ScriptOptions _options;

    /// <summary>A fresh session whose cells resolve relative paths against <paramref name="workingDirectory"/>.</summary>
    public CSharpSession(string? workingDirectory = null)
    {
        var references = new[]
        {
            typeof(TorchSharp.torch).Assembly, typeof(Folk.Lab.Frequency.Spectrum).Assembly,
            typeof(Folk.Lab.Interactive.Rendering.RgbImage).Assembly,
        };
        _options = ScriptOptions.Default
            .AddReferences(references)
            .AddImports("System", "System.Linq", "System.Collections.Generic", "TorchSharp")
            .WithSourceResolver(new SourceFileResolver(ImmutableArrayOf<string>(), workingDirectory ?? Environment.CurrentDirectory))
            .WithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest);
    }

    /// <summary>
    /// Runs one cell and returns the value of its last expression (null for a statement). Compilation errors throw
    /// <see cref="CompilationErrorException"/> with line and column; runtime exceptions propagate as thrown.
    /// </summary>
    public async Task<object?> RunAsync(string code, CancellationToken cancellation = default)
    {
        code = WithoutMagicCommands(code);
        _state = _state is null
            ? await CSharpScript.RunAsync(code, _options, cancellationToken: cancellation)
            : await _state.ContinueWithAsync(code, _options, cancellation);
        if (_state.Exception is { } e) throw new TargetInvocationException(e.Message, e);
        return _state.ReturnValue;
    }

    /// <summary>The value of a variable defined by earlier cells.</summary>
    public object? Variable(string name) => _state?.GetVariable(name)?.Value;

    /// <summary>.NET Interactive's <c>#!csharp</c> and <c>#!time</c> lines are accepted and ignored here.</summary>
    static string WithoutMagicCommands(string code) =>
        string.Join('\n', code.Split('\n').Select(line => line.TrimStart().StartsWith("#!", StringComparison.Ordinal) ? "" : line));

    static System.Collections.Immutable.ImmutableArray<T> ImmutableArrayOf<T>() => System.Collections.Immutable.ImmutableArray<T>.Empty;
}
