using Folk.Lab.Data.Segmentation;
using Folk.Lab.Data.Transforms;

namespace Folk.Lab.Evaluation.Segmentation;

/// <summary>
/// The segmentation input pipeline; defaults are mmsegmentation's ADE20K one (open-mmlab/mmsegmentation
/// <c>configs/_base_/datasets/ade20k.py</c>, which the MAE and BEiT ADE20K configs use). Training: Resize into the
/// (2048, 512) box keeping the ratio, with the box scaled by a ratio drawn from (0.5, 2.0); RandomCrop 512 × 512 with
/// <c>cat_max_ratio=0.75</c>; RandomFlip 0.5; PhotoMetricDistortion; Normalize (ImageNet's mean and std, the config's
/// 123.675/116.28/103.53 and 58.395/57.12/57.375 on 0…255); Pad to 512 × 512 (image 0, map 255). Test: Resize into the
/// (2048, 512) box keeping the ratio, no flip, Normalize; the prediction is scored at the image's original size.
/// </summary>
public sealed record SegmentationAugmentation
{
    /// <summary>The resize box (long side, short side) (<c>img_scale=(2048, 512)</c>).</summary>
    public (int Long, int Short) Scale { get; init; } = (2048, 512);

    /// <summary>Training's ratio range for the box (<c>ratio_range=(0.5, 2.0)</c>).</summary>
    public (double Min, double Max) RatioRange { get; init; } = (0.5, 2.0);

    /// <summary>Side of the training crop and of the padded input (<c>crop_size=(512, 512)</c>).</summary>
    public int CropSize { get; init; } = 512;

    /// <summary>The crop's limit on one class's share (<c>cat_max_ratio=0.75</c>).</summary>
    public double CategoryMaxRatio { get; init; } = 0.75;

    /// <summary>Horizontal-flip probability (<c>RandomFlip(prob=0.5)</c>).</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>The photometric distortion (mmsegmentation's defaults); null = off.</summary>
    public PhotoMetricDistortionOptions? PhotoMetric { get; init; } = new();

    /// <summary>The training pipeline: resize, crop, flip, photometric distortion, normalisation, padding.</summary>
    public ISegmentationTransform Training()
    {
        var steps = new List<ISegmentationTransform>
        {
            new SegmentationResize(Scale, RatioRange),
            new SegmentationRandomCrop(CropSize, CropSize, CategoryMaxRatio),
            new SegmentationFlip(FlipProbability),
        };
        if (PhotoMetric is not null) steps.Add(new ImageOnlyStep(new PhotoMetricDistortion(PhotoMetric)));
        steps.Add(new ImageOnlyStep(new Normalize()));
        steps.Add(new SegmentationPad(CropSize, CropSize));
        return new SegmentationCompose(steps.ToArray());
    }

    /// <summary>The test-time size of an image of <paramref name="height"/> × <paramref name="width"/>: the box without
    /// a ratio.</summary>
    public (int Height, int Width) TestSize(int height, int width) => SegmentationResize.OutputSize(height, width, Scale.Long, Scale.Short);
}
