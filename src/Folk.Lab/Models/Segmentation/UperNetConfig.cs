namespace Folk.Lab.Models.Segmentation;

/// <summary>
/// The heads of <see cref="UperNet"/>. Defaults are the MAE and BEiT ADE20K configurations for ViT-B/16
/// (open-mmlab/mmsegmentation <c>configs/mae/upernet_mae-base_fp16_8x2_512x512_160k_ade20k.py</c> over
/// <c>configs/_base_/models/upernet_mae.py</c>; microsoft/unilm
/// <c>beit/semantic_segmentation/configs/beit/upernet/upernet_beit_base_12_512_slide_160k_ade20k_pt2ft.py</c>).
/// </summary>
public sealed record UperNetConfig
{
    /// <summary>Classes to predict (ADE20K: 150, <c>num_classes=150</c>).</summary>
    public int Classes { get; init; } = 150;

    /// <summary>Width inside the UperNet head (<c>decode_head.channels</c>): 768 in both ViT-B ADE20K configs, which
    /// override the base model file's 512 (the ResNet UperNet's width).</summary>
    public int Channels { get; init; } = 768;

    /// <summary>Width of the auxiliary FCN head (<c>auxiliary_head.channels=256</c>).</summary>
    public int AuxiliaryChannels { get; init; } = 256;

    /// <summary>Pyramid-pooling grid sizes (<c>pool_scales=(1, 2, 3, 6)</c>).</summary>
    public IReadOnlyList<int> PoolScales { get; init; } = [1, 2, 3, 6];

    /// <summary>2-D dropout before each classifier (<c>dropout_ratio=0.1</c>).</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>The pyramid level the auxiliary head reads, from 0 = finest (<c>auxiliary_head.in_index=2</c>: the
    /// stride-16 map, the output of block 8 of 12).</summary>
    public int AuxiliaryLevel { get; init; } = 2;

    /// <summary>Not in the papers (false there): subtract each image's mean token from every block output before the
    /// pyramid, removing what is the same at every position of an image. A diagnostic, to test whether that shared part
    /// (<c>TokenStatistics.ImageShare</c>) is what holds a pre-trained encoder back.</summary>
    public bool CentreTokens { get; init; }

    internal void Validate()
    {
        Guard.Positive(Classes, nameof(Classes));
        Guard.Positive(Channels, nameof(Channels));
        Guard.Positive(AuxiliaryChannels, nameof(AuxiliaryChannels));
        Guard.Probability(Dropout, nameof(Dropout));
        if (PoolScales.Count == 0 || PoolScales.Any(s => s < 1))
            throw new ArgumentException($"PoolScales must hold positive grid sizes; got [{string.Join(", ", PoolScales)}].", nameof(PoolScales));
        if (AuxiliaryLevel is < 0 or > 3)
            throw new ArgumentOutOfRangeException(nameof(AuxiliaryLevel), AuxiliaryLevel, $"AuxiliaryLevel must be a pyramid level 0…3; got {AuxiliaryLevel}.");
    }
}
