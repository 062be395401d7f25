using System.Buffers.Binary;
using System.Text;
using static TorchSharp.torch;

namespace Folk.Lab.IO.Pth;

/// <summary>
/// Writes the protocol-2 pickle of a state dict as <c>torch.save</c> lays it out: an <c>OrderedDict</c> whose values
/// are <c>torch._utils._rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())</c> calls, each storage a
/// persistent id <c>('storage', torch.&lt;Type&gt;Storage, key, 'cpu', numel)</c>. Only the opcodes a weights-only
/// unpickler accepts are used.
/// </summary>
internal static class PickleWriter
{
    /// <summary>The pickle bytes for tensors (name, storage key, tensor), written contiguous from offset 0.</summary>
    public static byte[] StateDict(IReadOnlyList<(string Name, string Key, Tensor Tensor)> tensors)
    {
        using var buffer = new MemoryStream();
        buffer.Write([0x80, 2]);                                                    // PROTO 2
        Global(buffer, "collections", "OrderedDict");
        buffer.WriteByte(0x29);                                                     // EMPTY_TUPLE
        buffer.WriteByte(0x52);                                                     // REDUCE
        if (tensors.Count > 0)
        {
            buffer.WriteByte(0x28);                                                 // MARK
            foreach (var (name, key, t) in tensors)
            {
                String(buffer, name);
                Global(buffer, "torch._utils", "_rebuild_tensor_v2");
                buffer.WriteByte(0x28);                                             // MARK (arguments)
                buffer.WriteByte(0x28);                                             // MARK (persistent id)
                String(buffer, "storage");
                Global(buffer, "torch", TorchDTypes.StorageClass(t.dtype));
                String(buffer, key);
                String(buffer, "cpu");
                Int(buffer, t.numel());
                buffer.WriteByte(0x74);                                             // TUPLE
                buffer.WriteByte(0x51);                                             // BINPERSID
                Int(buffer, 0);                                                     // storage offset
                Tuple(buffer, t.shape);
                Tuple(buffer, ContiguousStrides(t.shape));
                buffer.WriteByte(0x89);                                             // NEWFALSE: requires_grad
                Global(buffer, "collections", "OrderedDict");                      // backward hooks
                buffer.WriteByte(0x29);
                buffer.WriteByte(0x52);
                buffer.WriteByte(0x74);                                             // TUPLE
                buffer.WriteByte(0x52);                                             // REDUCE
            }
            buffer.WriteByte(0x75);                                                 // SETITEMS
        }
        buffer.WriteByte(0x2e);                                                     // STOP
        return buffer.ToArray();
    }

    static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long s = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { strides[i] = s; s *= Math.Max(shape[i], 1); }
        return strides;
    }

    static void Global(Stream s, string module, string name)
    {
        s.WriteByte(0x63);                                                          // GLOBAL
        s.Write(Encoding.UTF8.GetBytes($"{module}\n{name}\n"));
    }

    static void String(Stream s, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)bytes.Length);
        s.WriteByte(0x58);                                                          // BINUNICODE
        s.Write(length);
        s.Write(bytes);
    }

    static void Int(Stream s, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        if (value is >= 0 and <= byte.MaxValue) { s.WriteByte(0x4b); s.WriteByte((byte)value); }                   // BININT1
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
            s.WriteByte(0x4a);                                                                                      // BININT
            s.Write(bytes[..4]);
        }
        else
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            s.WriteByte(0x8a);                                                                                      // LONG1
            s.WriteByte(8);
            s.Write(bytes);
        }
    }

    static void Tuple(Stream s, long[] values)
    {
        s.WriteByte(0x28);                                                          // MARK
        foreach (var v in values) Int(s, v);
        s.WriteByte(0x74);                                                          // TUPLE
    }
}
