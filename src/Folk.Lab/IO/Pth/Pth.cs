using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.IO.Pth;

/// <summary>
/// PyTorch's <c>.pth</c> files (<c>torch.save</c>), read with the semantics of <c>torch.load(weights_only=True)</c>
/// and written in the zip layout <c>torch.load</c> reads. Reading runs no code from the file: its pickle is
/// interpreted by <see cref="PickleMachine"/>, which knows tensors, storages, dtypes and <c>OrderedDict</c> only, and
/// <see cref="UnsafePickleException"/> names any other global (and where it stands) unless the caller asks to leave
/// such objects out of a checkpoint's non-weight entries.
/// </summary>
/// <remarks>
/// Read: the zip layout (PyTorch ≥ 1.6) and the legacy one (<c>_use_new_zipfile_serialization=False</c>), little-endian,
/// dtypes float32/16, bfloat16, float64, int64/32/16/8, uint8 and bool. A nested checkpoint gives its <c>model</c>
/// (or <c>state_dict</c>) dict and lists the other keys as skipped. Not read: the tar layout of PyTorch before 0.4,
/// whole pickled modules, quantized, sparse and complex tensors.
/// </remarks>
public static class Pth
{
    /// <summary>
    /// Reads the state dict of <paramref name="path"/> onto the CPU. Throws <see cref="UnsafePickleException"/> when the
    /// pickle names anything but weights, and <see cref="InvalidDataException"/> naming the file (and the tensor) when
    /// it is damaged, truncated, or a tensor reaches past the end of its storage.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="skipObjects">Accept pickled objects outside the weights (a training checkpoint's <c>config</c>,
    /// as MFM saves it) and list their entries as skipped; nothing of them is built or run. Among the weights they are
    /// refused either way.</param>
    public static PthCheckpoint Read(string path, bool skipObjects = false)
    {
        using var layout = PthLayout.Open(path);
        var (entries, skipped, under) = PthStateDict.Select(layout.Root, path, skipObjects);
        foreach (var (name, t) in entries) Check(name, t, path);

        var storages = new Dictionary<string, Tensor>();
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var (name, t) in entries)
            {
                if (!storages.TryGetValue(t.Storage.Key, out var storage))
                    storages[t.Storage.Key] = storage = layout.ReadStorage(t.Storage);
                tensors[name] = storage.as_strided(t.Shape, t.Strides, t.Offset);
            }
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        finally
        {
            foreach (var s in storages.Values) s.Dispose();
        }
        return new PthCheckpoint(tensors, skipped, layout.Format, under);
    }

    /// <summary>The tensors of <paramref name="path"/>'s state dict (names, shapes, dtypes) and what is skipped, from
    /// its pickle alone: no storage is read. Refuses unsafe files as <see cref="Read"/> does.</summary>
    public static (IReadOnlyList<PthTensorInfo> Tensors, IReadOnlyList<string> Skipped) Inspect(string path, bool skipObjects = false)
    {
        using var layout = PthLayout.Open(path);
        var (entries, skipped, _) = PthStateDict.Select(layout.Root, path, skipObjects);
        foreach (var (name, t) in entries) Check(name, t, path);
        return (entries.Select(e => new PthTensorInfo(e.Name, e.Tensor.Shape, TorchDTypes.Name(e.Tensor.Storage.DType))).ToList(), skipped);
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device and layout; saved as contiguous CPU copies) as a state dict in the
    /// zip layout, atomically: a protocol-2 pickle of an <c>OrderedDict</c> of <c>_rebuild_tensor_v2</c> calls, one
    /// storage record per tensor, stored uncompressed and 64-byte aligned, with <c>version</c> 3 and
    /// <c>byteorder</c> little. <c>torch.load(path, weights_only=True)</c> reads it back bit for bit.
    /// </summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var archive = "archive/";
        var records = new List<(string Name, byte[] Data)>();
        var pickle = PickleWriter.StateDict(tensors.Select((t, i) => (t.Key, i.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Value)).ToList());
        records.Add((archive + "data.pkl", pickle));
        records.Add((archive + "byteorder", "little"u8.ToArray()));
        int index = 0;
        foreach (var (_, t) in tensors)
            records.Add((archive + "data/" + index++.ToString(System.Globalization.CultureInfo.InvariantCulture), TensorBytes.Of(t)));
        records.Add((archive + "version", "3\n"u8.ToArray()));
        AtomicFile.Write(path, s => StoredZip.Write(s, records));
    }

    static void Check(string name, TorchTensorRef t, string path)
    {
        long end;
        try { end = t.End(); }
        catch (OverflowException) { end = long.MaxValue; }
        if (t.Offset < 0 || end > t.Storage.Numel)
            throw new InvalidDataException(
                $"{path}: tensor '{name}' (shape {Shape.Format(t.Shape)}, offset {t.Offset}) reaches element {end} of storage {t.Storage.Key}, which holds {t.Storage.Numel}.");
    }
}
