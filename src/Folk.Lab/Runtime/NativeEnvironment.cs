using System.Runtime.InteropServices;

namespace Folk.Lab.Runtime;

/// <summary>
/// The process environment as native libraries read it (<c>getenv</c>). On Linux and macOS, .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only the runtime's own copy, which a native
/// library such as libtorch's OpenMP runtime never sees; this writes through to the C library as well.
/// </summary>
public static class NativeEnvironment
{
    delegate int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
    delegate IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    static readonly Lazy<(SetEnv Set, GetEnv Get)?> C = new(Bind);

    /// <summary>The value native code reads for <paramref name="name"/>; null when unset.</summary>
    public static string? Get(string name) =>
        C.Value is { } c ? Marshal.PtrToStringUTF8(c.Get(name)) : Environment.GetEnvironmentVariable(name);

    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> for native code and for .NET, unless it is already
    /// set (to anything, even empty); returns whether it set it.</summary>
    public static bool SetIfUnset(string name, string value)
    {
        if (Get(name) is not null) return false;
        if (C.Value is { } c && c.Set(name, value, 0) != 0)
            throw new InvalidOperationException($"setenv({name}) failed: {Marshal.GetLastPInvokeErrorMessage()}");
        Environment.SetEnvironmentVariable(name, value);
        return true;
    }

    static (SetEnv, GetEnv)? Bind()
    {
        if (OperatingSystem.IsWindows()) return null;                 // the CRT reads the Win32 environment .NET writes
        string library = OperatingSystem.IsMacOS() ? "libSystem.dylib" : "libc.so.6";
        if (!NativeLibrary.TryLoad(library, out var handle)) return null;
        return (Marshal.GetDelegateForFunctionPointer<SetEnv>(NativeLibrary.GetExport(handle, "setenv")),
                Marshal.GetDelegateForFunctionPointer<GetEnv>(NativeLibrary.GetExport(handle, "getenv")));
    }
}
