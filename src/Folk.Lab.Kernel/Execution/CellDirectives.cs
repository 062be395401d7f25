using System.Text.RegularExpressions;

namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// A <c>#!share</c> directive: bring the value <paramref name="Name"/> from the language <paramref name="From"/> into
/// the cell's language, under <paramref name="As"/> when given (.NET Interactive's <c>#!share --from python x --as y</c>).
/// </summary>
/// <param name="From">The language that holds the value ("csharp", "fsharp", "python"), or null when the directive
/// names none (an error when the cell runs).</param>
/// <param name="Name">The value's name there.</param>
/// <param name="As">Its name in the cell's language (null: the same).</param>
public sealed record ShareDirective(string? From, string Name, string? As)
{
    /// <summary>The name the value gets in the cell's language.</summary>
    public string Target => As ?? Name;
}

/// <summary>
/// The notebook directives a cell may start with, taken out before the language sees the code (their lines are blanked
/// so errors keep the cell's line numbers): a language selector (<c>#!csharp</c>, <c>#!fsharp</c>, <c>#!python</c>;
/// C# when there is none, and the first one counts), <c>#!share --from LANGUAGE NAME [--as NAME]</c>, <c>#!time</c>
/// (print wall time), and in .NET cells <c>#r "nuget: Name, Version"</c> (restore a package) and
/// <c>#i "nuget: source"</c> (add a package source, e.g. a local folder). <c>#r "path/to.dll"</c> is left for Roslyn.
/// </summary>
/// <param name="Code">The code with directive lines blanked.</param>
/// <param name="Time">True when <c>#!time</c> was given.</param>
/// <param name="Packages">Packages to restore, as (name, version or null for the latest).</param>
/// <param name="Sources">Extra package sources.</param>
public sealed partial record CellDirectives(string Code, bool Time, IReadOnlyList<(string Name, string? Version)> Packages, IReadOnlyList<string> Sources)
{
    /// <summary>The languages a cell can be written in, by selector.</summary>
    public static readonly IReadOnlyDictionary<string, string> Selectors = new Dictionary<string, string>
    {
        ["#!csharp"] = "csharp", ["#!c#"] = "csharp", ["#!fsharp"] = "fsharp", ["#!f#"] = "fsharp", ["#!python"] = "python",
    };

    /// <summary>The cell's language: "csharp", "fsharp" or "python".</summary>
    public string Language { get; init; } = "csharp";

    /// <summary>The values to bring in before the code runs, in order.</summary>
    public IReadOnlyList<ShareDirective> Shares { get; init; } = [];

    /// <summary>Why a directive line could not be read (the cell fails with it when run), or null.</summary>
    public string? Error { get; init; }

    /// <summary>Splits <paramref name="cell"/> into code and directives; <paramref name="language"/> is the cell's
    /// language when no selector names one (null: C#; names as Polyglot Notebooks writes them, e.g. "fsharp", "C#").</summary>
    public static CellDirectives Parse(string cell, string? language = null)
    {
        var lines = cell.Replace("\r\n", "\n").Split('\n');
        string? selected = null;
        bool time = false;
        var packages = new List<(string, string?)>();
        var sources = new List<string>();
        var shares = new List<ShareDirective>();
        string? error = null;
        foreach (var line in lines.Select(l => l.Trim()))
            if (selected is null && Selectors.TryGetValue(line, out var chosen)) selected = chosen;
        language = selected ?? (language is null ? "csharp" : Selectors.GetValueOrDefault("#!" + language.ToLowerInvariant(), language.ToLowerInvariant()));
        bool dotnet = language != "python";
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line == "#!time") { time = true; lines[i] = ""; }
            else if (line.StartsWith("#!share", StringComparison.Ordinal) && (line.Length == 7 || char.IsWhiteSpace(line[7])))
            {
                try { shares.Add(ParseShare(line)); }
                catch (FormatException e) { error ??= $"line {i + 1}: {e.Message}"; }
                lines[i] = "";
            }
            else if (line.StartsWith("#!", StringComparison.Ordinal)) lines[i] = ""; // selectors and other kernels' magics
            else if (dotnet && NuGetReference().Match(line) is { Success: true } r)
            {
                var version = r.Groups["version"].Value.Trim();
                packages.Add((r.Groups["name"].Value.Trim(), version.Length == 0 || version == "*" ? null : version));
                lines[i] = "";
            }
            else if (dotnet && NuGetSource().Match(line) is { Success: true } s)
            {
                sources.Add(s.Groups["source"].Value.Trim());
                lines[i] = "";
            }
        }
        return new CellDirectives(string.Join('\n', lines), time, packages, sources) { Language = language, Shares = shares, Error = error };
    }

    /// <summary><c>#!share [--from L] NAME [--as NAME]</c>, options in any order.</summary>
    static ShareDirective ParseShare(string line)
    {
        var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        string? from = null, name = null, @as = null;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] == "--from" && i + 1 < tokens.Count) from = Selectors.GetValueOrDefault("#!" + tokens[++i], tokens[i]);
            else if (tokens[i] == "--as" && i + 1 < tokens.Count) @as = tokens[++i];
            else if (!tokens[i].StartsWith("--", StringComparison.Ordinal)) name ??= tokens[i];
            else throw new FormatException($"'{line}': unknown option {tokens[i]}; use #!share --from LANGUAGE NAME [--as NAME].");
        }
        return new ShareDirective(from, name ?? throw new FormatException($"'{line}' names no value; use #!share --from LANGUAGE NAME [--as NAME]."), @as);
    }

    [GeneratedRegex("""^#r\s+"nuget:\s*(?<name>[^,"]+)(,(?<version>[^"]*))?"\s*$""")]
    private static partial Regex NuGetReference();

    [GeneratedRegex("""^#i\s+"nuget:\s*(?<source>[^"]+)"\s*$""")]
    private static partial Regex NuGetSource();
}
