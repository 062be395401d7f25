using Folk.Lab.Models;
using static TorchSharp.torch;

namespace Folk.Lab.Methods;

/// <summary>
/// A self-supervised pre-training method as the trainer sees it: a module whose parameters are trained, a loss per
/// batch, and a hook after each optimiser step (where FOLK's teacher follows the student).
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
    IEncoder Encoder { get; }

    /// <summary>The loss of a batch of clean images (B×3×H×W in [0,1], on the method's device).</summary>
    /// <param name="images">The batch.</param>
    /// <param name="generator">Source of the method's randomness (masks, corruptions); reseeded by the trainer every step.</param>
    LossTerms Loss(Tensor images, Generator generator);

    /// <summary>Called after every optimiser step with the step just taken (from 0) and the total.</summary>
    void AfterOptimizerStep(long step, long totalSteps);
}
