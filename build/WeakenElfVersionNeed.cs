// An MSBuild task (compiled by RoslynCodeTaskFactory, see TorchSharpNativeFix.targets) that marks one
// symbol-version requirement of an ELF shared library as weak, so that the dynamic loader accepts the
// library on a system whose C++ runtime lacks that version.
//
// Why: TorchSharp 0.107's libLibTorchSharp.so asks for GLIBCXX_3.4.32 for a single symbol it never
// calls; Debian 12 ships libstdc++ up to GLIBCXX_3.4.30. Setting VER_FLG_WEAK (0x2) in the matching
// Vernaux entry of .gnu.version_r turns the hard failure into nothing at all.
//
// The task only ever rewrites the copy it is given (through a temporary file and a rename, so a hard
// link into the NuGet cache is replaced, never written through), does nothing when the system already
// defines the version, and is idempotent.
#nullable enable
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenElfVersionNeed : Task
{
    const uint ShtGnuVerdef = 0x6ffffffd;
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    /// <summary>The library copies to patch (normally every libLibTorchSharp.so of the output folder).</summary>
    [Required] public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The version requirement to weaken, e.g. GLIBCXX_3.4.32.</summary>
    [Required] public string Version { get; set; } = "";

    /// <summary>Candidate paths of the system library that should define <see cref="Version"/>.</summary>
    [Required] public string SystemLibraryCandidates { get; set; } = "";

    public override bool Execute()
    {
        if (Libraries.Length == 0) return true;

        string? systemLibrary = null;
        foreach (var candidate in SystemLibraryCandidates.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(candidate.Trim())) { systemLibrary = candidate.Trim(); break; }

        if (systemLibrary != null && DefinesVersion(File.ReadAllBytes(systemLibrary), Version))
        {
            Log.LogMessage(MessageImportance.Low,
                $"Folk.Lab native fix: {systemLibrary} defines {Version}; TorchSharp's native library needs no change.");
            return true;
        }

        var why = systemLibrary == null
            ? "no system libstdc++ was found to check"
            : $"{systemLibrary} does not define it";
        foreach (var item in Libraries)
        {
            var path = item.ItemSpec;
            try
            {
                var bytes = File.ReadAllBytes(path);
                switch (MarkWeak(bytes, Version))
                {
                    case PatchResult.Patched:
                        // Keep the copy's timestamp: MSBuild then sees an unchanged copy-local file and does not
                        // copy the unpatched original over it again on the next incremental build.
                        var stamp = File.GetLastWriteTimeUtc(path);
                        var temp = path + ".folk-lab-tmp";
                        File.WriteAllBytes(temp, bytes);
                        File.SetLastWriteTimeUtc(temp, stamp);
                        File.Replace(temp, path, null); // rename(2): atomic, and never writes through a hard link
                        Log.LogMessage(MessageImportance.High,
                            $"Folk.Lab native fix: marked the {Version} requirement weak in {path} ({why}).");
                        break;
                    case PatchResult.AlreadyWeak:
                        Log.LogMessage(MessageImportance.Normal,
                            $"Folk.Lab native fix: {path} already carries a weak {Version} requirement.");
                        break;
                    case PatchResult.NotRequired:
                        Log.LogMessage(MessageImportance.Normal,
                            $"Folk.Lab native fix: {path} does not require {Version}; nothing to do.");
                        break;
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Log.LogError($"Folk.Lab native fix: could not patch {path}: {e.Message}. " +
                             "TorchSharp will fail to load on this system; report this with the file attached.");
            }
        }
        return !Log.HasLoggedErrors;
    }

    enum PatchResult { Patched, AlreadyWeak, NotRequired }

    /// <summary>Sets VER_FLG_WEAK on every Vernaux entry named <paramref name="version"/>.</summary>
    static PatchResult MarkWeak(byte[] elf, string version)
    {
        var result = PatchResult.NotRequired;
        foreach (var section in Sections(elf))
        {
            if (section.Type != ShtGnuVerneed) continue;
            var strings = SectionAt(elf, section.Link);
            long entry = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                ushort count = U16(elf, entry + 2);
                long aux = entry + U32(elf, entry + 8);
                for (uint j = 0; j < count; j++)
                {
                    var name = CString(elf, strings.Offset + U32(elf, aux + 8));
                    if (name == version)
                    {
                        ushort flags = U16(elf, aux + 4);
                        if ((flags & VerFlgWeak) != 0) { if (result == PatchResult.NotRequired) result = PatchResult.AlreadyWeak; }
                        else
                        {
                            flags |= VerFlgWeak;
                            elf[aux + 4] = (byte)flags;
                            elf[aux + 5] = (byte)(flags >> 8);
                            result = PatchResult.Patched;
                        }
                    }
                    aux += U32(elf, aux + 12);
                }
                entry += U32(elf, entry + 12);
            }
        }
        return result;
    }

    /// <summary>True when a Verdef entry of the library is named <paramref name="version"/>.</summary>
    static bool DefinesVersion(byte[] elf, string version)
    {
        foreach (var section in Sections(elf))
        {
            if (section.Type != ShtGnuVerdef) continue;
            var strings = SectionAt(elf, section.Link);
            long entry = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                long aux = entry + U32(elf, entry + 12);
                if (CString(elf, strings.Offset + U32(elf, aux)) == version) return true;
                entry += U32(elf, entry + 16);
            }
        }
        return false;
    }

    // RoslynCodeTaskFactory compiles against netstandard2.0: no records here.
    readonly struct Section
    {
        public readonly uint Type, Link, Info;
        public readonly long Offset, Size;
        public Section(uint type, long offset, long size, uint link, uint info)
        { Type = type; Offset = offset; Size = size; Link = link; Info = info; }
    }

    static Section[] Sections(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
        long shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        var sections = new Section[shnum];
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + (long)i * shentsize;
            sections[i] = new Section(U32(elf, h + 4), (long)U64(elf, h + 0x18), (long)U64(elf, h + 0x20),
                                      U32(elf, h + 0x28), U32(elf, h + 0x2C));
        }
        return sections;
    }

    static Section SectionAt(byte[] elf, uint index) => Sections(elf)[index];

    static ushort U16(byte[] b, long o) => BitConverter.ToUInt16(b, checked((int)o));
    static uint U32(byte[] b, long o) => BitConverter.ToUInt32(b, checked((int)o));
    static ulong U64(byte[] b, long o) => BitConverter.ToUInt64(b, checked((int)o));

    static string CString(byte[] b, long o)
    {
        int start = checked((int)o), end = start;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, start, end - start);
    }
}
