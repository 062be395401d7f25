using static TorchSharp.torch;

namespace Folk.Lab.Training.Optim;

/// <summary>Parameters that share a weight decay and a learning-rate scale.</summary>
/// <param name="Name">For logs: "decay", "no_decay", "layer_3_decay", ….</param>
/// <param name="Parameters">The parameters, by name.</param>
/// <param name="WeightDecay">Decoupled weight decay of the group.</param>
/// <param name="LearningRateScale">Multiplies the scheduled rate (layer-wise decay; 1 otherwise).</param>
public sealed record ParameterGroup(string Name, IReadOnlyList<(string Name, Tensor Parameter)> Parameters, double WeightDecay, double LearningRateScale);
