using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>
/// Hand-written mixed precision (TorchSharp has no autocast). Inside <see cref="BFloat16"/>, the encoder's matrix
/// products and attention run in bfloat16 while weights stay float32 (they are cast per use: float32 master weights),
/// and normalisation statistics, the residual stream, FFTs and losses stay float32. Outside it, everything is
/// float32. Training on CUDA opens the scope; on the CPU it stays closed.
/// </summary>
public static class Autocast
{
    static readonly AsyncLocal<ScalarType?> Current = new();

    /// <summary>Opens a bfloat16 scope for the current async flow; dispose to close it.</summary>
    public static IDisposable BFloat16() => new Scope(ScalarType.BFloat16);

    /// <summary>Opens a scope for <paramref name="type"/> (null: float32, i.e. no scope).</summary>
    public static IDisposable For(ScalarType? type) => new Scope(type);

    /// <summary><c>x·Wᵀ + b</c> in the compute dtype.</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias)
    {
        if (Current.Value is not { } type) return nn.functional.linear(x, weight, bias);
        using var w = weight.to(type);
        using var b = bias?.to(type);
        using var xc = x.dtype == type ? null : x.to(type);
        return nn.functional.linear(xc ?? x, w, b);
    }


    /// <summary>Back to float32 for the residual stream and normalisations.</summary>
    public static Tensor Float(Tensor x) => x.dtype == ScalarType.Float32 ? x.alias() : x.to(ScalarType.Float32);

    sealed class Scope : IDisposable
    {
        readonly ScalarType? _previous;

        public Scope(ScalarType? type)
        {
            _previous = Current.Value;
            Current.Value = type;
        }

        public void Dispose() => Current.Value = _previous;
    }
}
