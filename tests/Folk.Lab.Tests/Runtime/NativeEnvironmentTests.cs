using Folk.Lab.Runtime;

namespace Folk.Lab.Tests.Runtime;

public class NativeEnvironmentTests
{
    [Fact]
    public void SetIfUnsetWritesThroughToTheCLibraryAndNeverOverridesAValue()
    {
        string name = $"FOLK_LAB_TEST_{Guid.NewGuid():N}";
        Assert.Null(NativeEnvironment.Get(name));
        Assert.True(NativeEnvironment.SetIfUnset(name, "PASSIVE"));
        Assert.Equal("PASSIVE", NativeEnvironment.Get(name));                          // what getenv returns to native code
        Assert.Equal("PASSIVE", Environment.GetEnvironmentVariable(name));              // and what .NET sees
        Assert.False(NativeEnvironment.SetIfUnset(name, "ACTIVE"));
        Assert.Equal("PASSIVE", NativeEnvironment.Get(name));
    }

    [LinuxFact]
    public void OnLinuxDotNetsOwnSetterIsInvisibleToNativeCodeWhichIsWhyTheWaitPolicyNeedsIt()
    {
        string name = $"FOLK_LAB_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "ACTIVE");
        Assert.Null(NativeEnvironment.Get(name));
    }
}

/// <summary>A fact about Linux: skipped, and reported as skipped, elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Linux only";
    }
}
