using Folk.Lab.Diagnostics;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Diagnostics;

/// <summary>Runs alone (no other test allocates meanwhile), since the numbers are the whole process's.</summary>
[Collection(GlobalRngCollection.Name)]
public class PeakMemoryTests
{
    [Fact]
    public void AStretchAddsWhatItTouchesAndFreedMemoryIsHandedBackBeforeTheNext()
    {
        if (!OperatingSystem.IsLinux()) return;                           // VmHWM and its reset are Linux's
        const long size = 192L << 20;
        Assert.True(PeakMemory.Reset());
        long baseline = PeakMemory.Resident();
        using (var touched = ones(size / sizeof(float), dtype: ScalarType.Float32)) { }   // every page written, then freed
        long added = PeakMemory.Bytes() - baseline;
        Assert.True(added >= size * 0.95, $"the peak rose by {added >> 20} MiB for a {size >> 20} MiB tensor");

        // many 1 MiB blocks freed in the middle of the heap stay with the allocator unless trimmed; Reset hands them back
        var blocks = Enumerable.Range(0, 128).Select(_ => ones(1L << 18, dtype: ScalarType.Float32)).ToList();
        long withBlocks = PeakMemory.Resident();
        foreach (var block in blocks) block.Dispose();
        PeakMemory.Reset();
        long after = PeakMemory.Resident();
        Assert.True(after < withBlocks - (64L << 20), $"resident {withBlocks >> 20} MiB with the blocks, {after >> 20} MiB after freeing them and the reset");
        Assert.True(PeakMemory.Bytes() - after < 16L << 20, "the reset peak starts at the memory in use");
    }
}
