namespace Folk.Lab.Data;

/// <summary>
/// The conventions of per-pixel class maps (<see cref="ImageSample.Segmentation"/>, <see cref="Batch.Segmentation"/>):
/// H×W int64, the class index 0…K−1 at every pixel, and <see cref="Ignore"/> where a pixel has no class (ADE20K's
/// "other", the padding added by augmentation). Losses leave ignored pixels out, metrics do not count them.
/// </summary>
/// <remarks>The value is mmsegmentation's: <c>ignore_index=255</c> in its decode heads and metrics, and the padding value
/// of its masks (open-mmlab/mmsegmentation <c>mmseg/datasets/pipelines/transforms.py</c>, <c>Pad(seg_pad_val=255)</c>,
/// <c>RandomCrop(ignore_index=255)</c>). It fits an 8-bit PNG, so data sets with up to 255 classes keep it free.</remarks>
public static class SegmentationLabels
{
    /// <summary>A pixel without a class: 255.</summary>
    public const long Ignore = 255;
}
