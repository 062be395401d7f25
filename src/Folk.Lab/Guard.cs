using static TorchSharp.torch;

namespace Folk.Lab;

/// <summary>
/// Argument checks for public entry points. Every message names the parameter, the value received and what is
/// allowed, so that a researcher can fix the call without reading the source.
/// </summary>
internal static class Guard
{
    public static void Positive(double value, string name)
    {
        if (!(value > 0)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be > 0; got {value}.");
    }

    public static void NonNegative(double value, string name)
    {
        if (!(value >= 0)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= 0; got {value}.");
    }

    public static void Probability(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a probability in [0, 1]; got {value}.");
    }

    public static void OpenUnitInterval(double value, string name)
    {
        if (!(value > 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie strictly between 0 and 1; got {value}.");
    }

    /// <summary>Images must be B×C×H×W with a floating-point dtype.</summary>
    public static void ImageBatch(Tensor images, string name)
    {
        if (images.dim() != 4)
            throw new ArgumentException($"{name} must be a B×C×H×W batch; got shape {Shape.Format(images)}.", name);
        if (!is_floating_point(images))
            throw new ArgumentException($"{name} must have a floating-point dtype (float32 in [0,1] for images); got {images.dtype}.", name);
    }

    public static void Square(Tensor images, string name, string why)
    {
        if (images.shape[^1] != images.shape[^2])
            throw new ArgumentException(
                $"{name} must be square (H == W) {why}; got shape {Shape.Format(images)}. Crop or resize to a square first.", name);
    }

    public static void SameShape(Tensor a, string nameA, Tensor b, string nameB)
    {
        if (!a.shape.SequenceEqual(b.shape))
            throw new ArgumentException(
                $"{nameA} and {nameB} must have the same shape; got {Shape.Format(a)} and {Shape.Format(b)}.", nameB);
    }

    /// <summary>B×K class scores and B×K targets on one device (the soft-target classification losses).</summary>
    public static void ScoresAndTargets(Tensor logits, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.dim() != 2)
            throw new ArgumentException($"logits must be B×K; got shape {Shape.Format(logits)}.", nameof(logits));
        SameShape(logits, nameof(logits), targets, nameof(targets));
        SameDevice(logits, nameof(logits), targets, nameof(targets));
    }

    /// <summary>Both tensors on one device: Folk.Lab never moves data behind the caller's back.</summary>
    public static void SameDevice(Tensor a, string nameA, Tensor b, string nameB)
    {
        if (a.device_type != b.device_type || a.device_index != b.device_index)
            throw new ArgumentException($"{nameB} is on {b.device} but {nameA} is on {a.device}; move one of them explicitly.", nameB);
    }
}
