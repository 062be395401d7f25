namespace Folk.Lab.Tests.Support;

/// <summary>
/// A test that needs a CUDA device (the GPU machine, through scripts/gpu/run.sh's libtorch). Skipped, visibly, where
/// <c>torch.cuda.is_available()</c> is false, unless FOLK_LAB_REQUIRE_GPU=1 (set it on the GPU machine): then it runs
/// and fails, never passes silently. Put such tests under <c>[Trait("Category", "Gpu")]</c>.
/// </summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FOLK_LAB_REQUIRE_GPU") != "1" && !torch.cuda.is_available())
            Skip = "needs a CUDA device: run on the GPU machine (scripts/gpu/README.md), where FOLK_LAB_REQUIRE_GPU=1 makes it required";
    }
}
