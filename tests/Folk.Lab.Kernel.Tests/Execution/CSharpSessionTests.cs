using Folk.Lab.Kernel.Execution;

namespace Folk.Lab.Kernel.Tests.Execution;

public class CSharpSessionTests
{
    /// <summary>
    /// A session that passed its full reference list with every cell made each later compilation bind lists over all
    /// earlier cells' references: the retained heap grew quadratically, 93 MiB after 300 trivial cells (0.31 MiB per
    /// cell, and rising), 45 % of it reference arrays and dictionaries after 350 cells. Given only the references added since the
    /// previous cell, it grows 24 MiB over 300 cells (0.08 MiB per cell, flat). The bound, 0.16 MiB per cell over 300
    /// cells, is twice that and half the old rate. It is the managed heap after full compacting collections, not a
    /// clock or the process's RSS, so the machine does not decide it.
    /// </summary>
    [Fact]
    public async Task RetainedHeapGrowsLinearlyAndSlowlyWithTheNumberOfCells()
    {
        var session = new CSharpSession();
        for (int i = 0; i < 20; i++) await session.RunAsync($"var w{i} = new int[] {{ {i} }}; w{i}[0] + 1");
        long before = RetainedBytes();
        for (int i = 0; i < 300; i++) await session.RunAsync($"var v{i} = new int[] {{ {i} }}; v{i}[0] * 2");
        double perCell = (RetainedBytes() - before) / 300.0 / (1 << 20);
        Assert.True(perCell < 0.16, $"the retained heap grew {perCell:F3} MiB per cell over 300 cells; the bound is 0.16");
        Assert.Equal(598, await session.RunAsync("v299[0] * 2"));
    }

    /// <summary>A package's references reach every later cell, and the compilation's own reference list stays as it
    /// was when the session began: what a cell adds is carried by the chain of submissions, not repeated.</summary>
    [Fact]
    public async Task AReferenceAddedOnTheWayReachesEveryLaterCell()
    {
        var session = new CSharpSession();
        await session.RunAsync("var a0 = 1;");
        var added = typeof(System.Xml.Linq.XElement).Assembly.Location;    // not among the default references
        session.AddReferences([added]);
        Assert.Equal("x", await session.RunAsync("new System.Xml.Linq.XElement(\"x\").Name.LocalName"));
        for (int i = 0; i < 5; i++) await session.RunAsync($"var b{i} = new System.Xml.Linq.XElement(\"b{i}\");");
        Assert.Equal("b4", await session.RunAsync("b4.Name.LocalName"));
        Assert.NotNull(session.Compilation!.GetTypeByMetadataName("System.Xml.Linq.XElement"));
    }

    static long RetainedBytes()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    [Fact]
    public async Task ACellThatFailsToCompileLeavesTheSessionAsItWas()
    {
        var session = new CSharpSession();
        await session.RunAsync("var kept = 41;");
        await Assert.ThrowsAsync<Microsoft.CodeAnalysis.Scripting.CompilationErrorException>(() => session.RunAsync("var broken = ;"));
        Assert.Equal(42, await session.RunAsync("kept + 1"));
        Assert.Equal(["var kept = 41;", "kept + 1"], session.Submitted);
    }
}
