using static TorchSharp.torch;

namespace Folk.Lab.IO.Pth;

/// <summary>A storage a pickle points to by persistent id: the archive key of its bytes, its dtype and length.</summary>
/// <param name="Key">The name of its bytes: <c>data/&lt;Key&gt;</c> in a zip file, the root key in a legacy file.</param>
/// <param name="DType">Element type.</param>
/// <param name="Numel">Elements it holds.</param>
internal sealed record TorchStorageRef(string Key, ScalarType DType, long Numel);
