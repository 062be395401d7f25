using static TorchSharp.torch;

namespace Folk.Lab.Losses;

/// <summary>
/// DINO's centre c of the teacher's outputs: explicit, checkpointed state (buffer <c>center</c>, 1×K, zeros at the
/// start), changed only by <see cref="Update"/>, <c>c ← m·c + (1 − m)·mean_batch(teacher logits)</c> (DINO main_dino.py
/// <c>DINOLoss.update_center</c>, m = 0.9). Computing a loss never changes it.
/// </summary>
public sealed class DistillationCenter : nn.Module
{
    private readonly Tensor center;

    /// <summary>Centre momentum m (DINO <c>center_momentum</c> = 0.9).</summary>
    public double Momentum { get; }

    /// <summary>A zero centre of width <paramref name="dimension"/>.</summary>
    public DistillationCenter(int dimension, double momentum = 0.9) : base(nameof(DistillationCenter))
    {
        Guard.Positive(dimension, nameof(dimension));
        Guard.Probability(momentum, nameof(momentum));
        Momentum = momentum;
        center = zeros(1, dimension);
        RegisterComponents();
    }

    /// <summary>The current centre, 1×K float32 (the live buffer: do not dispose).</summary>
    public Tensor Value => center;

    /// <summary>The batch centre of teacher logits: their mean over rows, 1×K (detached, float32).</summary>
    public static Tensor BatchCenter(Tensor teacherLogits)
    {
        using var noGrad = no_grad();
        return teacherLogits.detach().to(ScalarType.Float32).mean(new long[] { 0 }, keepdim: true);
    }

    /// <summary>Moves the centre towards <paramref name="batchCenter"/> (1×K, from <see cref="BatchCenter"/>).</summary>
    public void Update(Tensor batchCenter)
    {
        if (batchCenter.dim() != 2 || batchCenter.shape[0] != 1 || batchCenter.shape[1] != center.shape[1])
            throw new ArgumentException($"batchCenter must be 1×{center.shape[1]}; got {Shape.Format(batchCenter)}.", nameof(batchCenter));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        center.mul_(Momentum).add_(batchCenter.to(center.device), alpha: 1 - Momentum);
    }
}
