using Folk.Lab.Evaluation;
using Folk.Lab.Methods;

namespace Folk.Lab.Experiments;

/// <summary>
/// One row of an ablation table: a method with one setting changed from its default (or its default, the group's
/// reference), the <c>folk-lab pretrain</c> flags that make the same change, which backbone is evaluated, and what the
/// paper reports for it. A row is a change, not a recipe, so that the same row runs at quick scale (on
/// <see cref="SeriesMiniature.Recipe"/>) and at full scale (on the official preset).
/// </summary>
/// <remarks>A reference row has no <see cref="Change"/>: it is the base recipe itself, unchanged, so that it is the
/// very run every other notebook of the series shares through <see cref="RunCache"/>.</remarks>
public sealed record AblationRow
{
    /// <summary>The study ("mfm" or "folk"): the first part of the row's run and result names.</summary>
    public required string Study { get; init; }

    /// <summary>What the group of rows varies ("mask type", "radius", …); rows of a group are compared with its
    /// reference.</summary>
    public required string Group { get; init; }

    /// <summary>The setting, as a table shows it ("low-pass only (p_low = 1)").</summary>
    public required string Label { get; init; }

    /// <summary>A short stable name (lower case, digits and '-') for the row's evaluations and full-scale folders.</summary>
    public required string Key { get; init; }

    /// <summary>The method whose recipe the row starts from ("mfm", "sr", "deblur", "denoise", "folk").</summary>
    public required string Method { get; init; }

    /// <summary>The change to the method's default settings; null for the default itself.</summary>
    public Func<MethodConfig, MethodConfig>? Change { get; init; }

    /// <summary>The <c>folk-lab pretrain</c> flags that make <see cref="Change"/> (besides <c>--method</c>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The pre-training run the row evaluates: its own key, or another row's when the row only evaluates
    /// that run differently (FOLK's teacher and student).</summary>
    public string Run => RunOf ?? Key;

    /// <summary>Another row's key whose pre-training run this row reads; null for its own run.</summary>
    public string? RunOf { get; init; }

    /// <summary>The backbone evaluated (FOLK: the exported one, the student or the teacher).</summary>
    public EncoderPart Part { get; init; } = EncoderPart.Exported;

    /// <summary>True for the group's reference: the setting the paper (or, for FOLK, Folk.Lab's reading of it) uses.</summary>
    public bool Reference { get; init; }

    /// <summary>True when the row runs at quick scale; every row runs at full scale.</summary>
    public bool Quick { get; init; } = true;

    /// <summary>What the paper reports for this row or its group, with the source: a number where one is published,
    /// the direction of the paper's finding otherwise, or that it was not available to us.</summary>
    public string Paper { get; init; } = "";

    /// <summary>The published number for this row, when there is one (a percentage, as printed).</summary>
    public PaperNumber? PaperNumber { get; init; }

    /// <summary><paramref name="recipe"/> (the row's method's base recipe) with the row's change: the recipe itself,
    /// unchanged, for a reference row.</summary>
    public PretrainingRecipe Apply(PretrainingRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        if (recipe.Method.Name != Method)
            throw new ArgumentException($"Row '{Key}' changes a {Method} recipe; got a {recipe.Method.Name} one.", nameof(recipe));
        return Change is null ? recipe : recipe with { Method = Change(recipe.Method) };
    }

    /// <summary>The row's recipe: <paramref name="recipeFor"/> of the row's method (e.g.
    /// <c>m => SeriesMiniature.Recipe(m, seed)</c>, or an official preset), with the row's change.</summary>
    public PretrainingRecipe RecipeFrom(Func<string, PretrainingRecipe> recipeFor)
    {
        ArgumentNullException.ThrowIfNull(recipeFor);
        return Apply(recipeFor(Method));
    }
}
