using System.Runtime.InteropServices;
using Folk.Lab.Distributed.Nccl;

namespace Folk.Lab.Tests.Distributed;

/// <summary>
/// Managed stand-ins for NCCL's exports, handed to <see cref="NcclLibrary"/> as native function pointers, so the
/// binding's own logic (version decoding, error texts, missing entry points) runs without NCCL. Only ncclGetVersion,
/// ncclGetErrorString and ncclGetLastError do anything; every other export returns ncclInternalError if called.
/// </summary>
public sealed class FakeNccl : IDisposable
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate NcclResult GetVersionFn(IntPtr version);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate IntPtr GetErrorStringFn(NcclResult result);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate IntPtr GetLastErrorFn(IntPtr comm);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate NcclResult UnusedFn();

    readonly List<Delegate> _alive = [];
    readonly List<IntPtr> _strings = [];
    readonly Dictionary<string, IntPtr> _exports = new(StringComparer.Ordinal);

    /// <summary>Exports the fake functions; <paramref name="lastError"/> null leaves ncclGetLastError out (NCCL &lt; 2.13).</summary>
    public FakeNccl(int versionCode, string? lastError = null, params string[] missing)
    {
        foreach (var name in new[] { "ncclGetUniqueId", "ncclCommInitRank", "ncclCommDestroy", "ncclCommAbort", "ncclAllReduce", "ncclBroadcast", "ncclCommGetAsyncError" })
            Export(name, new UnusedFn(() => NcclResult.InternalError));
        Export("ncclGetVersion", new GetVersionFn(p => { Marshal.WriteInt32(p, versionCode); return NcclResult.Success; }));
        Export("ncclGetErrorString", new GetErrorStringFn(r => Utf8($"fake text for {(int)r}")));
        if (lastError is not null) Export("ncclGetLastError", new GetLastErrorFn(_ => Utf8(lastError)));
        foreach (var name in missing) _exports.Remove(name);
    }

    /// <summary>The export resolver <see cref="NcclLibrary"/>'s constructor takes.</summary>
    public IntPtr Resolve(string name) => _exports.TryGetValue(name, out var p) ? p : IntPtr.Zero;

    /// <summary>A library bound to these fakes.</summary>
    public NcclLibrary Library() => new("fake", Resolve);

    void Export(string name, Delegate function)
    {
        _alive.Add(function);
        _exports[name] = Marshal.GetFunctionPointerForDelegate(function);
    }

    IntPtr Utf8(string text)
    {
        var p = Marshal.StringToCoTaskMemUTF8(text);
        lock (_strings) _strings.Add(p);
        return p;
    }

    public void Dispose()
    {
        foreach (var p in _strings) Marshal.FreeCoTaskMem(p);
        _strings.Clear();
    }
}
