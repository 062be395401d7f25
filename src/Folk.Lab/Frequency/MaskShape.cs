using static TorchSharp.torch;

namespace Folk.Lab.Frequency;

/// <summary>
/// The mask shapes the filter and the loss accept, brought to one that broadcasts against B×C×H×W, with an error
/// that names the shape received and the shapes allowed.
/// </summary>
internal static class MaskShape
{
    /// <summary>H×W → 1×1×H×W, B×H×W → B×1×H×W, B×1×H×W and B×C×H×W unchanged.</summary>
    public static Tensor Broadcastable(Tensor mask, long b, long c, long h, long w)
    {
        if (mask.dim() < 2 || mask.shape[^2] != h || mask.shape[^1] != w)
            throw new ArgumentException($"mask must end in H×W = {h}×{w}; got mask {Shape.Format(mask)}.", nameof(mask));
        return mask.dim() switch
        {
            2 => mask.reshape(1, 1, h, w),
            3 when mask.shape[0] == b => mask.unsqueeze(1),
            4 when mask.shape[0] == b && (mask.shape[1] == 1 || mask.shape[1] == c) => mask.alias(),
            _ => throw new ArgumentException(
                $"mask must be H×W, B×H×W, B×1×H×W or B×C×H×W with B = {b}, C = {c}, H×W = {h}×{w}; got {Shape.Format(mask)}.",
                nameof(mask)),
        };
    }
}
