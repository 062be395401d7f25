using static TorchSharp.torch;

namespace Folk.Lab.Masks;

/// <summary>Operations on masks themselves.</summary>
public static class Mask
{
    /// <summary>The complementary mask <c>1 − M</c>: kept becomes removed and removed becomes kept (a new tensor).</summary>
    public static Tensor Complement(Tensor mask) => ones_like(mask).sub_(mask);
}
