namespace Folk.Lab.Corruptions.Common;

/// <summary>How a filter reads beyond an image's edge, in scipy.ndimage's terms (the library ImageNet-C is built on).</summary>
public enum BoundaryMode
{
    /// <summary>scipy's <c>reflect</c>, OpenCV's BORDER_REFLECT: d c b a | a b c d | d c b a (the edge repeats).</summary>
    Reflect,
    /// <summary>scipy's <c>mirror</c>, OpenCV's BORDER_REFLECT_101, PyTorch's <c>reflect</c>: d c b | a b c d | c b a.</summary>
    Mirror,
    /// <summary>scipy's <c>nearest</c>, OpenCV's BORDER_REPLICATE: a a a | a b c d | d d d.</summary>
    Nearest,
    /// <summary>scipy's <c>wrap</c>: periodic.</summary>
    Wrap,
    /// <summary>scipy's <c>constant</c> with cval 0.</summary>
    Constant,
}
