using System.Diagnostics;

namespace Folk.Lab.Diagnostics;

/// <summary>
/// The process's peak resident memory over a stretch of work, on the CPU: on Linux the high-water mark VmHWM is
/// reset through <c>/proc/self/clear_refs</c> ("5") and read back from <c>/proc/self/status</c>; elsewhere it falls back
/// to the lifetime peak working set (then a later, smaller stretch reports the earlier peak).
/// </summary>
public static class PeakMemory
{
    /// <summary>Resets the high-water mark where the OS allows it; returns whether it did.</summary>
    public static bool Reset()
    {
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
    public static long Bytes()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line[6..].Trim().Split(' ')[0], out var kilobytes)) return kilobytes * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
