using System.Buffers.Binary;
using System.Text;

namespace Folk.Lab.IO.Pth;

/// <summary>
/// Writes a zip archive the way PyTorch's writer does: every record stored (not compressed), its data starting on a
/// 64-byte boundary (the local header's extra field is padded, under the id "FB"), so a reader can map the records in
/// place. No zip64: an archive over 4 GiB, or a record over it, is refused.
/// </summary>
internal static class StoredZip
{
    const int Alignment = 64;

    /// <summary>Writes <paramref name="records"/> (name, bytes), in order, to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IReadOnlyList<(string Name, byte[] Data)> records)
    {
        var central = new MemoryStream();
        long offset = 0;
        Span<byte> header = stackalloc byte[46];
        Span<byte> extra = stackalloc byte[4];
        foreach (var (name, data) in records)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            uint crc = Crc32.Of(data);
            int pad = (int)((Alignment - (offset + 30 + nameBytes.Length + 4) % Alignment) % Alignment);
            if (offset + 30 + nameBytes.Length + 4 + pad + data.Length > uint.MaxValue)
                throw new NotSupportedException($"The archive would pass 4 GiB at record {name}; zip64 .pth files are not written.");

            var local = header[..30];
            local.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(local, 0x04034b50);
            BinaryPrimitives.WriteUInt16LittleEndian(local[4..], 20);                       // version needed
            BinaryPrimitives.WriteUInt16LittleEndian(local[12..], 0x21);                    // date 1980-01-01
            BinaryPrimitives.WriteUInt32LittleEndian(local[14..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(local[18..], (uint)data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(local[22..], (uint)data.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(local[26..], (ushort)nameBytes.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(local[28..], (ushort)(4 + pad));
            stream.Write(local);
            stream.Write(nameBytes);
            BinaryPrimitives.WriteUInt16LittleEndian(extra, 0x4246);                        // "FB"
            BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], (ushort)pad);
            stream.Write(extra);
            for (int i = 0; i < pad; i++) stream.WriteByte((byte)'Z');
            stream.Write(data);

            var entry = header;
            entry.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(entry, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[4..], 20);                       // version made by
            BinaryPrimitives.WriteUInt16LittleEndian(entry[6..], 20);                       // version needed
            BinaryPrimitives.WriteUInt16LittleEndian(entry[14..], 0x21);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[20..], (uint)data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[24..], (uint)data.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[28..], (ushort)nameBytes.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[42..], (uint)offset);
            central.Write(entry);
            central.Write(nameBytes);

            offset += 30 + nameBytes.Length + 4 + pad + data.Length;
        }
        if (records.Count > ushort.MaxValue) throw new NotSupportedException($"{records.Count} records are more than a zip without zip64 holds.");
        Span<byte> end = stackalloc byte[22];
        end.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)records.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)records.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)central.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], checked((uint)offset));
        stream.Write(central.ToArray());
        stream.Write(end);
    }
}
