using static TorchSharp.torch;

namespace Folk.Lab.IO.Pth;

/// <summary>PyTorch's names for the dtypes a <c>.pth</c> file may hold: storage classes and dtype attributes.</summary>
internal static class TorchDTypes
{
    static readonly (string Storage, string Name, ScalarType Type)[] Table =
    {
        ("FloatStorage", "float32", ScalarType.Float32), ("HalfStorage", "float16", ScalarType.Float16),
        ("BFloat16Storage", "bfloat16", ScalarType.BFloat16), ("DoubleStorage", "float64", ScalarType.Float64),
        ("LongStorage", "int64", ScalarType.Int64), ("IntStorage", "int32", ScalarType.Int32),
        ("ShortStorage", "int16", ScalarType.Int16), ("CharStorage", "int8", ScalarType.Int8),
        ("ByteStorage", "uint8", ScalarType.Byte), ("BoolStorage", "bool", ScalarType.Bool),
    };

    static readonly (string Alias, ScalarType Type)[] Aliases =
    {
        ("float", ScalarType.Float32), ("half", ScalarType.Float16), ("double", ScalarType.Float64),
        ("long", ScalarType.Int64), ("int", ScalarType.Int32), ("short", ScalarType.Int16),
    };

    /// <summary>The dtype of a storage class of the <c>torch</c> module (<c>FloatStorage</c>, <c>UntypedStorage</c> = bytes).</summary>
    public static ScalarType? FromStorageClass(string name) =>
        name == "UntypedStorage" ? ScalarType.Byte : Table.FirstOrDefault(t => t.Storage == name) is { Storage: not null } e ? e.Type : null;

    /// <summary>The dtype of a dtype attribute of the <c>torch</c> module (<c>float32</c>, <c>half</c>…).</summary>
    public static ScalarType? FromName(string name) =>
        Table.FirstOrDefault(t => t.Name == name) is { Name: not null } e ? e.Type
        : Aliases.FirstOrDefault(a => a.Alias == name) is { Alias: not null } a ? a.Type : null;

    /// <summary>The storage class that holds <paramref name="type"/>.</summary>
    public static string StorageClass(ScalarType type) =>
        Table.FirstOrDefault(t => t.Type == type).Storage ?? throw new ArgumentException($"dtype {type} cannot be stored in a .pth file here.");

    /// <summary>PyTorch's name of <paramref name="type"/> (<c>float32</c>).</summary>
    public static string Name(ScalarType type) => Table.FirstOrDefault(t => t.Type == type).Name ?? type.ToString();
}
