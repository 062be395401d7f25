using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folk.Lab.Tests.Architecture;

/// <summary>
/// Which folders of the library each source file uses, read from Roslyn's semantic model (so a fully qualified name or
/// a type reached through a relative namespace counts as much as a <c>using</c>), and the uses that point to a folder
/// to the right of the file's own in the data flow.
/// </summary>
public static class FolderDirection
{
    /// <summary>The library's folders in the direction data flows; a folder may use only those to its left (and the
    /// root namespace). Runtime (device and native-library set-up) comes first, then Distributed (process groups and
    /// their native engines, which need only Runtime and which Training uses), Diagnostics (benchmarks) last.</summary>
    public static readonly string[] Order =
    {
        "Runtime", "Distributed", "IO", "Data", "Frequency", "Masks", "Corruptions", "Models", "Losses", "Methods", "Training", "Evaluation", "Experiments", "Diagnostics",
    };

    /// <summary>Every use, in <paramref name="sources"/> (path relative to the library root → text), of a folder to the
    /// right of the file's own: "Methods/Folk.cs uses Folk.Lab.Training.Schedules.CosineMomentum".</summary>
    public static IReadOnlyList<string> Violations(IReadOnlyDictionary<string, string> sources, IEnumerable<MetadataReference> references)
    {
        const string implicitUsings = "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Threading; global using System.Threading.Tasks;";
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Value, path: s.Key)).Append(CSharpSyntaxTree.ParseText(implicitUsings)).ToList();
        var compilation = CSharpCompilation.Create("FolderDirection", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tree in trees.Where(t => t.FilePath.Length > 0))
        {
            int own = Rank(FolderOf(tree.FilePath));
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var symbol = model.GetSymbolInfo(name).Symbol ?? model.GetSymbolInfo(name).CandidateSymbols.FirstOrDefault();
                var used = symbol is null ? null : FolderOf(symbol);
                if (used is not null && Rank(used) > own)
                    violations.Add($"{tree.FilePath} uses {symbol!.ToDisplayString()} ({used} is right of {FolderOf(tree.FilePath) ?? "the root"})");
            }
        }
        return violations.ToList();
    }

    /// <summary>The library's own sources, keyed by their path relative to src/Folk.Lab.</summary>
    public static IReadOnlyDictionary<string, string> LibrarySources(string libraryRoot) =>
        Directory.GetFiles(libraryRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToDictionary(f => Path.GetRelativePath(libraryRoot, f).Replace('\\', '/'), File.ReadAllText);

    /// <summary>The assemblies the library compiles against: the runtime's and those beside the tests (TorchSharp, SkiaSharp…).</summary>
    public static IEnumerable<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(p => !Path.GetFileName(p).StartsWith("Folk.Lab", StringComparison.Ordinal))
            .GroupBy(Path.GetFileName).Select(g => MetadataReference.CreateFromFile(g.First()));

    static int Rank(string? folder) => folder is null ? -1 : Array.IndexOf(Order, folder) is var i and >= 0 ? i
        : throw new InvalidOperationException($"The library has a folder '{folder}' that FolderDirection.Order does not place: add it where data flows.");

    static string? FolderOf(string relativePath) => relativePath.Contains('/') ? relativePath[..relativePath.IndexOf('/')] : null;

    static string? FolderOf(ISymbol symbol)
    {
        var ns = symbol as INamespaceSymbol ?? symbol.ContainingNamespace;
        var name = ns?.ToDisplayString() ?? "";
        if (!name.StartsWith("Folk.Lab.", StringComparison.Ordinal)) return null;
        var rest = name["Folk.Lab.".Length..];
        return rest.Contains('.') ? rest[..rest.IndexOf('.')] : rest;
    }
}
