namespace Folk.Lab.Data.Segmentation;

/// <summary>Applies segmentation steps in order, disposing the intermediate pairs (mmsegmentation's <c>Compose</c> of a
/// pipeline).</summary>
public sealed class SegmentationCompose(params ISegmentationTransform[] steps) : ISegmentationTransform
{
    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<ISegmentationTransform> Steps { get; } = steps;

    /// <inheritdoc/>
    public SegmentedImage Apply(SegmentedImage sample, Random random)
    {
        var current = new SegmentedImage(sample.Image.alias(), sample.Mask.alias());
        foreach (var step in Steps)
        {
            var next = step.Apply(current, random);
            current.Dispose();
            current = next;
        }
        return current;
    }
}
