using static TorchSharp.torch;

namespace Folk.Lab.IO.Pth;

/// <summary>
/// A Python global a weights-only pickle may name (<c>module.attribute</c>), resolved to a plain description, never
/// imported. <see cref="Resolve"/> is the whole allow-list.
/// </summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    /// <summary>The rebuild function of every tensor in a state dict.</summary>
    public static readonly PickleGlobal RebuildTensor = new("torch._utils", "_rebuild_tensor_v2");

    /// <summary>The rebuild function of an <c>nn.Parameter</c> (a tensor with requires_grad).</summary>
    public static readonly PickleGlobal RebuildParameter = new("torch._utils", "_rebuild_parameter");

    /// <summary>The ordered dict a state dict is.</summary>
    public static readonly PickleGlobal OrderedDict = new("collections", "OrderedDict");

    /// <summary><c>module.attribute</c>, as Python writes it.</summary>
    public string FullName => $"{Module}.{Name}";

    /// <summary>The dtype of a storage class (<c>torch.FloatStorage</c>) or a dtype value (<c>torch.float32</c>), if this names one.</summary>
    public ScalarType? DType { get; private init; }

    /// <summary>The allowed global of that name, or null when it is not allowed.</summary>
    public static PickleGlobal? Resolve(string module, string name)
    {
        if (module == RebuildTensor.Module && name == RebuildTensor.Name) return RebuildTensor;
        if (module == RebuildParameter.Module && name == RebuildParameter.Name) return RebuildParameter;
        if (module == OrderedDict.Module && name == OrderedDict.Name) return OrderedDict;
        if (module == "torch" && TorchDTypes.FromStorageClass(name) is { } storage) return new PickleGlobal(module, name) { DType = storage };
        if (module == "torch.storage" && name == "UntypedStorage") return new PickleGlobal(module, name) { DType = ScalarType.Byte };
        if (module == "torch" && TorchDTypes.FromName(name) is { } dtype) return new PickleGlobal(module, name) { DType = dtype };
        return null;
    }
}
