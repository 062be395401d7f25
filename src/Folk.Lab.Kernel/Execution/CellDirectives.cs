using System.Text.RegularExpressions;

namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// The notebook directives a cell may start with, taken out before Roslyn sees the code (their lines are blanked so
/// compile errors keep the cell's line numbers): <c>#!time</c> (print wall time), <c>#!csharp</c> (no-op),
/// <c>#r "nuget: Name, Version"</c> (restore a package) and <c>#i "nuget: source"</c> (add a package source, e.g. a
/// local folder). <c>#r "path/to.dll"</c> is left for Roslyn.
/// </summary>
/// <param name="Code">The code with directive lines blanked.</param>
/// <param name="Time">True when <c>#!time</c> was given.</param>
/// <param name="Packages">Packages to restore, as (name, version or null for the latest).</param>
/// <param name="Sources">Extra package sources.</param>
public sealed partial record CellDirectives(string Code, bool Time, IReadOnlyList<(string Name, string? Version)> Packages, IReadOnlyList<string> Sources)
{
    /// <summary>Splits <paramref name="cell"/> into code and directives.</summary>
    public static CellDirectives Parse(string cell)
    {
        var lines = cell.Replace("\r\n", "\n").Split('\n');
        bool time = false;
        var packages = new List<(string, string?)>();
        var sources = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line == "#!time") { time = true; lines[i] = ""; }
            else if (line.StartsWith("#!", StringComparison.Ordinal)) lines[i] = ""; // #!csharp and other kernel selectors
            else if (NuGetReference().Match(line) is { Success: true } r)
            {
                var version = r.Groups["version"].Value.Trim();
                packages.Add((r.Groups["name"].Value.Trim(), version.Length == 0 || version == "*" ? null : version));
                lines[i] = "";
            }
            else if (NuGetSource().Match(line) is { Success: true } s)
            {
                sources.Add(s.Groups["source"].Value.Trim());
                lines[i] = "";
            }
        }
        return new CellDirectives(string.Join('\n', lines), time, packages, sources);
    }

    [GeneratedRegex("""^#r\s+"nuget:\s*(?<name>[^,"]+)(,(?<version>[^"]*))?"\s*$""")]
    private static partial Regex NuGetReference();

    [GeneratedRegex("""^#i\s+"nuget:\s*(?<source>[^"]+)"\s*$""")]
    private static partial Regex NuGetSource();
}
