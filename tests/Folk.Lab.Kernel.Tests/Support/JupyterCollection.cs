namespace Folk.Lab.Kernel.Tests.Support;

/// <summary>Tests that start kernels run one after another: timings (interrupt, readiness) mean little on a loaded machine.</summary>
[CollectionDefinition(Name)]
public sealed class JupyterCollection
{
    public const string Name = "Jupyter kernels";
}
