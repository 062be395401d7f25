namespace Folk.Lab.Training.Optim;

/// <summary>What the trainer needs of an optimiser: a step at per-group rates, zeroed gradients, and a state a
/// checkpoint can hold as named tensors.</summary>
public interface IOptimizer : IDisposable
{
    /// <summary>The parameter groups, in order.</summary>
    IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>Optimiser steps taken so far (t).</summary>
    long Steps { get; }

    /// <summary>One update in which each group's rate is <paramref name="rateForScale"/> of its
    /// <see cref="ParameterGroup.LearningRateScale"/>.</summary>
    void Step(Func<double, double> rateForScale);

    /// <summary>Sets every gradient to none.</summary>
    void ZeroGrad();

    /// <summary>The state as named tensors, for a checkpoint (with <see cref="Steps"/> stored beside it).</summary>
    Dictionary<string, TorchSharp.torch.Tensor> StateDict();

    /// <summary>Restores the state written by <see cref="StateDict"/>.</summary>
    void LoadStateDict(IReadOnlyDictionary<string, TorchSharp.torch.Tensor> state, long steps);
}

/// <summary>The optimisers the trainer runs (recorded by name in config.json).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<OptimizerKind>))]
public enum OptimizerKind
{
    /// <summary><see cref="Optim.AdamW"/>: MFM's pre-training and ViT fine-tuning.</summary>
    AdamW,

    /// <summary><see cref="Optim.Lamb"/>: the "ResNet strikes back" ResNet-50 recipes.</summary>
    Lamb,
}
