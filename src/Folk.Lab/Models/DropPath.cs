using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>
/// Stochastic depth: in training, drops a residual branch for a whole sample with probability p and scales the
/// survivors by 1/(1−p) (timm's <c>DropPath</c>); the identity in evaluation. Draws from the global torch RNG,
/// which the trainer seeds per step.
/// </summary>
public sealed class DropPath(double probability) : nn.Module<Tensor, Tensor>(nameof(DropPath))
{
    /// <summary>The drop probability.</summary>
    public double Probability { get; } = probability;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        if (!training || Probability == 0) return x.alias();
        using var scope = NewDisposeScope();
        var shape = new long[x.dim()];
        Array.Fill(shape, 1L);
        shape[0] = x.shape[0];
        var keep = rand(shape, dtype: x.dtype, device: x.device).ge_(Probability).div_(1 - Probability);
        return (x * keep).MoveToOuterDisposeScope();
    }
}
