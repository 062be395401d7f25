using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>Applies transforms in order, disposing the intermediate images; on 8-bit pixels too when every step can
/// (<see cref="IEightBitTransform"/>).</summary>
public sealed class Compose(params IImageTransform[] transforms) : IEightBitTransform
{
    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<IImageTransform> Steps { get; } = transforms;

    /// <inheritdoc/>
    public Tensor Apply(Tensor image, Random random)
    {
        var current = image.alias();
        foreach (var step in Steps)
        {
            var next = step.Apply(current, random);
            current.Dispose();
            current = next;
        }
        return current;
    }

    /// <inheritdoc/>
    public bool SupportsEightBit => Steps.All(step => step is IEightBitTransform { SupportsEightBit: true });

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">A step has no 8-bit form (<see cref="SupportsEightBit"/> is false).</exception>
    public Tensor ApplyEightBit(Tensor pixels, Random random)
    {
        if (!SupportsEightBit)
            throw new InvalidOperationException(
                $"{string.Join(", ", Steps.Where(s => s is not IEightBitTransform { SupportsEightBit: true }).Select(s => s.GetType().Name))} cannot run on 8-bit pixels; use Apply on the float image.");
        var current = pixels.alias();
        foreach (var step in Steps.Cast<IEightBitTransform>())
        {
            var next = step.ApplyEightBit(current, random);
            current.Dispose();
            current = next;
        }
        return current;
    }
}
