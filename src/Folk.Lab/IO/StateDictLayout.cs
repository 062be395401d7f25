namespace Folk.Lab.IO;

/// <summary>Whose parameter names a state dict carries; <see cref="StateDictMap"/> renames each onto Folk.Lab's.</summary>
public enum StateDictLayout
{
    /// <summary>Folk.Lab's own encoder names (those of MFM's encoders and of torchvision's ResNet): kept as they are.</summary>
    FolkLab,

    /// <summary>The official MFM training model (Jiahao000/MFM models/mfm.py): the encoder under <c>encoder.</c>, the
    /// 1×1-conv + PixelShuffle head under <c>decoder.</c> (dropped).</summary>
    Mfm,

    /// <summary>timm's <c>VisionTransformer</c>: one <c>attn.qkv.bias</c> of 3·D where Folk.Lab (BEiT-style, as MFM) has
    /// <c>q_bias</c> and <c>v_bias</c> and a k bias fixed at zero.</summary>
    TimmVit,

    /// <summary>torchvision's (and timm's) ResNet-50: the same names as Folk.Lab's <c>ResNet</c>.</summary>
    Torchvision,
}
