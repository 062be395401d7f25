using static TorchSharp.torch;

namespace Folk.Lab.IO.Pth;

/// <summary>The state dict read from a <c>.pth</c> file, and what of the file was left out.</summary>
/// <param name="Tensors">The tensors by name, in the file's order: CPU tensors with the file's sizes, strides and
/// offsets; entries that viewed one storage in the file view one memory here too (as <c>torch.load</c> gives them).</param>
/// <param name="Skipped">What was not returned: the other top-level keys of a nested checkpoint (<c>optimizer</c>,
/// <c>epoch</c>…) and entries of the state dict that are not tensors.</param>
/// <param name="Format">"zip" or "legacy".</param>
/// <param name="Under">The top-level key the state dict was found under (<c>model</c> or <c>state_dict</c>), or null
/// when the file is a state dict itself.</param>
public sealed record PthCheckpoint(Dictionary<string, Tensor> Tensors, IReadOnlyList<string> Skipped, string Format, string? Under);
