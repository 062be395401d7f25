using Folk.Lab.Data;
using Folk.Lab.Models;
using static TorchSharp.torch;

namespace Folk.Lab.Methods;

/// <summary>
/// A self-supervised pre-training method as the trainer sees it: a module whose parameters are trained, a loss per
/// batch that moves no state, and hooks where the state that is not trained moves (FOLK's teacher and centre).
/// A method is built from its <see cref="MethodConfig"/>.
/// </summary>
public interface IPretrainingMethod
{
    /// <summary>Short name for logs and run folders ("mfm", "sr", …).</summary>
    string Name { get; }

    /// <summary>Everything the optimiser updates, with the reference's parameter names (e.g. "encoder.pos_embed").</summary>
    nn.Module Trainable { get; }

    /// <summary>Everything a checkpoint must hold (Trainable plus any state that is not trained, e.g. a teacher).</summary>
    nn.Module Checkpointed { get; }

    /// <summary>The encoder to export for downstream tasks.</summary>
    Encoder Encoder { get; }

    /// <summary>Which network <see cref="Encoder"/> is, in words, for reports and result tables ("encoder" unless the
    /// method has a choice, as FOLK's student or teacher).</summary>
    string ExportedEncoder => "encoder";

    /// <summary>
    /// The loss of a batch of clean images (each view B×3×s×s in [0,1], on the method's device). Evaluating it moves
    /// no state: what a method folds into its state from a batch comes back in <see cref="LossTerms.Statistics"/> and
    /// is applied by <see cref="Observe"/> and <see cref="AfterOptimizerStep"/>.
    /// </summary>
    /// <param name="batch">The batch: one view for MFM and the restoration baselines, the multi-view layout for FOLK.</param>
    /// <param name="generator">Source of the method's randomness (masks, corruptions); reseeded by the trainer every step.</param>
    LossTerms Loss(Batch batch, Generator generator);

    /// <summary>Called once per batch after its backward pass with what <see cref="Loss"/> returned, so that the method
    /// can gather the batch statistics it applies at the next optimiser step. Nothing by default.</summary>
    void Observe(LossTerms terms) { }

    /// <summary>Called after every optimiser step with the step just taken (from 0) and the total. Nothing by default.</summary>
    void AfterOptimizerStep(long step, long totalSteps) { }
}
