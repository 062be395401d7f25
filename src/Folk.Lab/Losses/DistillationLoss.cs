using static TorchSharp.torch;

namespace Folk.Lab.Losses;

/// <summary>
/// DINO's self-distillation loss as FOLK uses it (Folk.Lab's default reading): the teacher's centred, sharpened softmax of one
/// view is the target of the student's softmax of every <i>other</i> view,
/// <c>H(P_t, P_s) = −Σ_k P_t,k log P_s,k</c>, averaged over the batch and over the (teacher view, student view) pairs
/// with different indices (DINO main_dino.py <c>DINOLoss.forward</c>). With two global views this is
/// <c>½[H(P_t(u), P_s(ṽ)) + H(P_t(v), P_s(ũ))]</c>. Pure: the centre is read, never updated here
/// (<see cref="DistillationCenter.Update"/>).
/// </summary>
public static class DistillationLoss
{
    /// <summary>The teacher's target distribution <c>softmax((t − c) / τ_t)</c>: N×K, float32, no gradient.</summary>
    /// <param name="teacherLogits">N×K teacher outputs.</param>
    /// <param name="center">1×K centre (<see cref="DistillationCenter.Value"/>).</param>
    /// <param name="temperature">τ_t (DINO: 0.04 warming up to 0.07).</param>
    public static Tensor TeacherProbabilities(Tensor teacherLogits, Tensor center, double temperature)
    {
        Guard.Positive(temperature, nameof(temperature));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var centred = teacherLogits.detach().to(ScalarType.Float32) - center.to(teacherLogits.device);
        return softmax(centred / temperature, -1).MoveToOuterDisposeScope();
    }

    /// <summary>The cross-view cross-entropy, a float32 scalar.</summary>
    /// <param name="studentLogits">One N×K tensor per student view; the first teacher-view-count of them are the
    /// views the teacher also saw, in the same order (the pairs with equal index are skipped).</param>
    /// <param name="teacherProbabilities">One N×K target per teacher view (<see cref="TeacherProbabilities"/>).</param>
    /// <param name="studentTemperature">τ_s (DINO: 0.1).</param>
    public static Tensor CrossView(IReadOnlyList<Tensor> studentLogits, IReadOnlyList<Tensor> teacherProbabilities, double studentTemperature)
    {
        Guard.Positive(studentTemperature, nameof(studentTemperature));
        if (teacherProbabilities.Count == 0 || studentLogits.Count < teacherProbabilities.Count || studentLogits.Count < 2)
            throw new ArgumentException($"Need at least two student views and one teacher view, with the teacher's views among the student's; got {studentLogits.Count} and {teacherProbabilities.Count}.", nameof(studentLogits));
        using var scope = NewDisposeScope();
        var logProbabilities = studentLogits.Select(s => nn.functional.log_softmax(s.to(ScalarType.Float32) / studentTemperature, -1)).ToArray();
        Tensor? total = null;
        int pairs = 0;
        for (int t = 0; t < teacherProbabilities.Count; t++)
        {
            for (int s = 0; s < logProbabilities.Length; s++)
            {
                if (s == t) continue;
                Guard.SameShape(teacherProbabilities[t], nameof(teacherProbabilities), logProbabilities[s], nameof(studentLogits));
                var term = (-teacherProbabilities[t] * logProbabilities[s]).sum(-1).mean();
                total = total is null ? term : total + term;
                pairs++;
            }
        }
        return (total! / pairs).MoveToOuterDisposeScope();
    }

    /// <summary>The alternative of ambiguity #6 (feature regression): <c>2 − 2·cos(s, t)</c> between each
    /// student view and every other teacher view's output, averaged like <see cref="CrossView"/>; no centring.</summary>
    public static Tensor CosineCrossView(IReadOnlyList<Tensor> studentOutputs, IReadOnlyList<Tensor> teacherOutputs)
    {
        if (teacherOutputs.Count == 0 || studentOutputs.Count < teacherOutputs.Count || studentOutputs.Count < 2)
            throw new ArgumentException($"Need at least two student views and one teacher view; got {studentOutputs.Count} and {teacherOutputs.Count}.", nameof(studentOutputs));
        using var scope = NewDisposeScope();
        Tensor? total = null;
        int pairs = 0;
        for (int t = 0; t < teacherOutputs.Count; t++)
        {
            var target = nn.functional.normalize(teacherOutputs[t].detach().to(ScalarType.Float32), dim: -1);
            for (int s = 0; s < studentOutputs.Count; s++)
            {
                if (s == t) continue;
                var student = nn.functional.normalize(studentOutputs[s].to(ScalarType.Float32), dim: -1);
                var term = (2 - 2 * (student * target).sum(-1)).mean();
                total = total is null ? term : total + term;
                pairs++;
            }
        }
        return (total! / pairs).MoveToOuterDisposeScope();
    }
}
