using Folk.Lab.Masks;
using static TorchSharp.torch;

namespace Folk.Lab.Methods;

/// <summary>
/// Everything one FOLK forward pass computed, for the loss, the tests and the notebooks.
/// </summary>
/// <param name="Views">The clean views, B×3×s×s in [0,1] each, global views first.</param>
/// <param name="Masks">The mask drawn for each view (what the student's input was filtered with).</param>
/// <param name="StudentInputs">What the student encoder received for each view: the filtered, normalised view.</param>
/// <param name="Reconstructions">The MFM head's prediction for each global view, B×3×s×s, normalised-image space.</param>
/// <param name="Targets">The normalised clean global views the reconstructions are compared with.</param>
/// <param name="StudentLogits">The student's projection-head output for each view, B×K.</param>
/// <param name="TeacherLogits">The teacher's projection-head output for each global (unfiltered) view, B×K, no gradient.</param>
public sealed record FolkForward(
    IReadOnlyList<Tensor> Views, IReadOnlyList<MaskBatch> Masks, IReadOnlyList<Tensor> StudentInputs,
    IReadOnlyList<Tensor> Reconstructions, IReadOnlyList<Tensor> Targets,
    IReadOnlyList<Tensor> StudentLogits, IReadOnlyList<Tensor> TeacherLogits) : IDisposable
{
    /// <summary>Moves every tensor to the enclosing dispose scope.</summary>
    internal FolkForward MoveToOuterDisposeScope()
    {
        foreach (var t in AllTensors()) t.MoveToOuterDisposeScope();
        return this;
    }

    IEnumerable<Tensor> AllTensors() => Views.Concat(Masks.Select(m => m.Masks)).Concat(StudentInputs).Concat(Reconstructions)
        .Concat(Targets).Concat(StudentLogits).Concat(TeacherLogits);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var t in AllTensors()) t.Dispose();
    }
}
