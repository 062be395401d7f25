using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>Applies transforms in order, disposing the intermediate images.</summary>
public sealed class Compose(params IImageTransform[] transforms) : IImageTransform
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
}
