using static TorchSharp.torch;

namespace Folk.Lab.IO;

/// <summary>A state dict renamed onto Folk.Lab's names, and what could not be carried over.</summary>
/// <param name="Tensors">The tensors under Folk.Lab's names (views or slices of the source's, not copies).</param>
/// <param name="Dropped">Source entries left out, each with the reason (<c>decoder.0.weight: MFM's prediction head</c>).</param>
public sealed record StateDictMapping(Dictionary<string, Tensor> Tensors, IReadOnlyList<string> Dropped);
