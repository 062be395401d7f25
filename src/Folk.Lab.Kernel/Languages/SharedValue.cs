using System.Collections;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Folk.Lab.Kernel.Languages;

/// <summary>Why a value cannot cross to another language: its type, and what can.</summary>
public sealed class ValueSharingException(string message) : Exception(message);

/// <summary>
/// A value on its way from one cell language to another. Between processes (.NET ↔ Python) tensors and arrays travel
/// as <c>.npy</c> files, keeping dtype and shape (<see cref="Folk.Lab.IO.Npy"/>: float32, float64, int64, int32,
/// uint8, bool); numbers, strings, booleans, null and lists or string-keyed maps of them travel as JSON. Inside one
/// process (C# ↔ F#) the object itself is shared and never becomes a <see cref="SharedValue"/>.
/// </summary>
public sealed record SharedValue
{
    /// <summary>What crosses: "tensor" or "json".</summary>
    public required string Kind { get; init; }

    /// <summary>The tensor (on the CPU), for "tensor".</summary>
    public Tensor? Tensor { get; init; }

    /// <summary>The JSON, for "json".</summary>
    public JsonNode? Json { get; init; }

    /// <summary>What can cross, for error messages.</summary>
    public const string WhatCrosses = "tensors, arrays of numbers or booleans, numbers, strings, booleans, null, and lists or string-keyed dictionaries of these";

    /// <summary>The shareable form of a .NET value named <paramref name="name"/>.</summary>
    /// <exception cref="ValueSharingException">The value's type cannot cross; the message names it.</exception>
    public static SharedValue FromDotNet(string name, object? value) => value switch
    {
        Tensor t => new SharedValue { Kind = "tensor", Tensor = t.detach().cpu() },
        float[] a => new SharedValue { Kind = "tensor", Tensor = tensor(a) },
        double[] a => new SharedValue { Kind = "tensor", Tensor = tensor(a) },
        int[] a => new SharedValue { Kind = "tensor", Tensor = tensor(a) },
        long[] a => new SharedValue { Kind = "tensor", Tensor = tensor(a) },
        byte[] a => new SharedValue { Kind = "tensor", Tensor = tensor(a) },
        bool[] a => new SharedValue { Kind = "tensor", Tensor = tensor(a) },
        _ => new SharedValue { Kind = "json", Json = JsonNode.Parse(ToJson(name, value)?.ToJsonString() ?? "null") }, // as it would arrive from another process
    };

    /// <summary>The .NET value: a CPU <see cref="TorchSharp.torch.Tensor"/>, or from JSON a long (whole numbers),
    /// double, string, bool, null, <c>List&lt;object?&gt;</c> or <c>Dictionary&lt;string, object?&gt;</c>.</summary>
    public object? ToDotNet() => Kind == "tensor" ? Tensor : FromJson(Json);

    static JsonNode? ToJson(string name, object? value) => value switch
    {
        null => null,
        string or bool or int or long or short or byte or sbyte or uint or ulong or ushort or decimal => JsonValue.Create(value),
        float f => JsonValue.Create((double)f),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : throw Unsupported(name, value, "a non-finite number has no JSON form; share it as a tensor"),
        IDictionary map => new JsonObject(map.Keys.Cast<object>().Select(k => KeyValuePair.Create(
            k as string ?? throw Unsupported(name, value, "its keys are not strings"), ToJson(name, map[k])))),
        IEnumerable items => new JsonArray(items.Cast<object?>().Select(item => ToJson(name, item)).ToArray()),
        _ => throw Unsupported(name, value, null),
    };

    static ValueSharingException Unsupported(string name, object value, string? why) => new(
        $"'{name}' is a {value.GetType().FullName} and cannot be shared{(why is null ? "" : $": {why}")}. Values that can: {WhatCrosses}.");

    static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject map => map.ToDictionary(p => p.Key, p => FromJson(p.Value)),
        JsonArray items => items.Select(FromJson).ToList(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        _ => node.ToJsonString(),
    };
}
