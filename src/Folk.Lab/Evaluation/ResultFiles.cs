namespace Folk.Lab.Evaluation;

/// <summary>What <see cref="ResultFiles.Find"/> found.</summary>
/// <param name="Files">The result.json files, each once, in the order found (subfolders by name).</param>
/// <param name="FoldersWithout">Subfolders of a given parent folder that hold no result.json (unfinished evaluations,
/// pre-training runs), so that a caller can say what it left out.</param>
public sealed record ResultFileSearch(IReadOnlyList<string> Files, IReadOnlyList<string> FoldersWithout);

/// <summary>
/// Finds the <c>result.json</c> files of evaluation run folders, as <c>folk-lab results table</c> accepts them: a
/// result.json itself, a run folder that holds one, or a parent folder whose subfolders (one level down) hold them.
/// </summary>
public static class ResultFiles
{
    /// <summary>The result.json files under <paramref name="paths"/>.</summary>
    /// <exception cref="ArgumentException">No path was given.</exception>
    /// <exception cref="DirectoryNotFoundException">A path does not exist.</exception>
    /// <exception cref="FileNotFoundException">A folder holds no result.json, nor do its subfolders (names the folder).</exception>
    public static ResultFileSearch Find(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        var without = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var given = paths.ToList();
        if (given.Count == 0) throw new ArgumentException("Give at least one run folder.", nameof(paths));
        foreach (var path in given)
        {
            foreach (var file in In(path, without))
                if (seen.Add(Path.GetFullPath(file))) files.Add(file);
        }
        return new ResultFileSearch(files, without);
    }

    static IEnumerable<string> In(string path, List<string> without)
    {
        if (File.Exists(path)) return new[] { path };
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"{path} does not exist: give evaluation run folders (the --out of finetune or eval), or folders holding them.");
        var own = Path.Combine(path, EvaluationResult.FileName);
        if (File.Exists(own)) return new[] { own };
        var subfolders = Directory.GetDirectories(path).Order(StringComparer.Ordinal).ToList();
        var found = subfolders.Select(d => Path.Combine(d, EvaluationResult.FileName)).Where(File.Exists).ToList();
        if (found.Count == 0)
            throw new FileNotFoundException(
                $"{path} holds no {EvaluationResult.FileName}, and neither do its {subfolders.Count} subfolder(s): give evaluation run folders " +
                "(the --out of finetune or eval, each written when its evaluation finishes), or the folder directly above them.", own);
        without.AddRange(subfolders.Where(d => !File.Exists(Path.Combine(d, EvaluationResult.FileName))));
        return found;
    }
}
