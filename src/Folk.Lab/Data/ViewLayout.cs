namespace Folk.Lab.Data;

/// <summary>
/// The views a multi-view transform makes of each image, in order: their sides in pixels, global views first (DINO's
/// multi-crop mixes 224² global and 96² local crops). A batch holds one B×3×s×s tensor per view
/// (<see cref="Batch.Views"/>).
/// </summary>
/// <param name="Sizes">Side of each view in pixels, global views first.</param>
/// <param name="GlobalViews">How many leading views are global (the ones a teacher sees).</param>
public sealed record ViewLayout(IReadOnlyList<int> Sizes, int GlobalViews)
{
    /// <summary>Two global views of <paramref name="size"/> pixels and <paramref name="localViews"/> local views of
    /// <paramref name="localSize"/> pixels (DINO: 2 × 224² + 8 × 96²).</summary>
    public static ViewLayout Of(int size, int globalViews = 2, int localViews = 0, int localSize = 96)
    {
        Guard.Positive(size, nameof(size));
        Guard.Positive(globalViews, nameof(globalViews));
        Guard.NonNegative(localViews, nameof(localViews));
        if (localViews > 0) Guard.Positive(localSize, nameof(localSize));
        return new ViewLayout(Enumerable.Repeat(size, globalViews).Concat(Enumerable.Repeat(localSize, localViews)).ToArray(), globalViews);
    }

    /// <summary>All views.</summary>
    public int Views => Sizes.Count;

    /// <summary>Checks that <paramref name="batch"/> holds these views (count and sides); the message names what differs.</summary>
    public void Check(Batch batch)
    {
        bool ok = batch.Views.Count == Views
                  && batch.Views.Select((v, i) => v.dim() == 4 && v.shape[2] == Sizes[i] && v.shape[3] == Sizes[i]).All(x => x);
        if (!ok)
            throw new ArgumentException(
                $"Expected {Views} views of sides {string.Join(", ", Sizes)} (MultiViewTransform); the batch holds {batch.Views.Count}: {string.Join(", ", batch.Views.Select(Shape.Format))}.", nameof(batch));
    }
}
