using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Folk.Lab.Diagnostics;

/// <summary>
/// The process's peak resident memory over a stretch of work, on the CPU: on Linux the high-water mark VmHWM is
/// reset through <c>/proc/self/clear_refs</c> ("5") and read back from <c>/proc/self/status</c>; elsewhere it falls back
/// to the lifetime peak working set (then a later, smaller stretch reports the earlier peak).
/// </summary>
/// <remarks>
/// What a stretch of work adds is <see cref="Bytes"/> − <see cref="Resident"/> read right after <see cref="Reset"/>.
/// The C allocator keeps freed memory for reuse, so without care a stretch that follows a larger one would reuse its
/// pages and seem to add less: on glibc, <see cref="Reset"/> first hands the free memory back (<c>malloc_trim(0)</c>),
/// so each stretch starts from the memory actually in use. The .NET heap and the kernel's own pages stay resident and
/// are part of the baseline, not of the stretch.
/// </remarks>
public static class PeakMemory
{
    /// <summary>Returns the C allocator's free memory to the OS (glibc), then resets the high-water mark where the
    /// OS allows it; returns whether the mark was reset.</summary>
    public static bool Reset()
    {
        Trim();
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>Peak resident bytes since the last <see cref="Reset"/> (or since the process started).</summary>
    public static long Bytes() => Status("VmHWM:") ?? PeakWorkingSet();

    /// <summary>Resident bytes now (VmRSS on Linux; the working set elsewhere).</summary>
    public static long Resident()
    {
        if (Status("VmRSS:") is { } bytes) return bytes;
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    static long? Status(string field)
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            if (line is not null && long.TryParse(line[field.Length..].Trim().Split(' ')[0], out var kilobytes)) return kilobytes * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    static void Trim()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }   // not glibc (musl): nothing to hand back
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int MallocTrim(nuint pad);
}
