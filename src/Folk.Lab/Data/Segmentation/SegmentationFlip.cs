namespace Folk.Lab.Data.Segmentation;

/// <summary>Mirrors an image and its class map left–right together with probability p (mmsegmentation
/// <c>RandomFlip(prob=0.5)</c>, open-mmlab/mmsegmentation <c>mmseg/datasets/pipelines/transforms.py</c>: flips when a
/// uniform draw is below p).</summary>
public sealed class SegmentationFlip : ISegmentationTransform
{
    /// <summary>Probability of flipping (mmsegmentation's ADE20K pipeline: 0.5).</summary>
    public double Probability { get; }

    /// <summary>Creates the step.</summary>
    public SegmentationFlip(double probability = 0.5)
    {
        Guard.Probability(probability, nameof(probability));
        Probability = probability;
    }

    /// <inheritdoc/>
    public SegmentedImage Apply(SegmentedImage sample, Random random)
    {
        sample.Check(nameof(sample));
        ArgumentNullException.ThrowIfNull(random);
        return random.NextDouble() < Probability
            ? new SegmentedImage(sample.Image.flip(2), sample.Mask.flip(1))
            : new SegmentedImage(sample.Image.clone(), sample.Mask.clone());
    }
}
