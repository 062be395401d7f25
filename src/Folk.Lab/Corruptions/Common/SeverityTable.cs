namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// One corruption's constant for severities 1…5 in both published tables: ImageNet-C's for 224² images
/// (hendrycks/robustness <c>ImageNet-C/create_c/make_imagenet_c.py</c>) and CIFAR-10-C's for 32² images
/// (<c>ImageNet-C/create_c/make_cifar_c.py</c>). Each function there opens with <c>c = [..][severity - 1]</c>;
/// a table holds those two lists, written with the same arithmetic so the doubles are the same.
/// </summary>
/// <typeparam name="T">The constant: a number, or a record when the function takes several.</typeparam>
public sealed class SeverityTable<T>
{
    readonly T[] _imageNet224;
    readonly T[] _cifar32;

    /// <summary>Creates a table from the two lists of five, mildest first.</summary>
    public SeverityTable(T[] imageNet224, T[] cifar32)
    {
        if (imageNet224.Length != 5) throw new ArgumentException($"Expected five ImageNet-C constants; got {imageNet224.Length}.", nameof(imageNet224));
        if (cifar32.Length != 5) throw new ArgumentException($"Expected five CIFAR-10-C constants; got {cifar32.Length}.", nameof(cifar32));
        _imageNet224 = imageNet224;
        _cifar32 = cifar32;
    }

    /// <summary>The constant at <paramref name="severity"/> (1…5) in the table <paramref name="constants"/> names.</summary>
    public T this[int severity, CorruptionConstants constants]
    {
        get
        {
            if (severity is < 1 or > 5) throw new ArgumentOutOfRangeException(nameof(severity), severity, "Severities run from 1 to 5.");
            return (constants == CorruptionConstants.Cifar32 ? _cifar32 : _imageNet224)[severity - 1];
        }
    }

    /// <summary>The five constants of one table, mildest first.</summary>
    public IReadOnlyList<T> For(CorruptionConstants constants) => constants == CorruptionConstants.Cifar32 ? _cifar32 : _imageNet224;
}
