using TorchSharp;

namespace Folk.Lab.Data;

/// <summary>
/// The scalar arguments of the per-image tensor ops that run on the loader's threads, created once and held for the
/// life of the process.
/// </summary>
/// <remarks>
/// A scalar written as a literal (<c>clamp_(0, 1)</c>, <c>div_(255f)</c>) becomes a temporary TorchSharp
/// <see cref="Scalar"/> whose native value is freed by its finalizer, and nothing keeps the temporary alive while the
/// native op reads it. Under the allocation rate of several decoding threads the collector can run in between: twice
/// in long Fashion-MNIST runs libtorch read such a scalar after it was freed ("toDouble: Expected false to be true",
/// "Unknown scalar type") and the process died. A scalar referenced from a static field is never finalized.
/// </remarks>
internal static class PinnedScalars
{
    /// <summary>0.</summary>
    public static readonly Scalar Zero = 0.0;

    /// <summary>1.</summary>
    public static readonly Scalar One = 1.0;

    /// <summary>255, the largest 8-bit level.</summary>
    public static readonly Scalar ByteMax = 255f;
}
