using Folk.Lab.Runtime;
using TorchSharp;

namespace Folk.Lab.Tests.Runtime;

public class TorchDevicesTests
{
    [Fact]
    public void CpuResolvesInAnySpelling()
    {
        Assert.Equal(DeviceType.CPU, TorchDevices.Resolve("cpu").type);
        Assert.Equal(DeviceType.CPU, TorchDevices.Resolve(" CPU ").type);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("")]
    [InlineData("cuda0")]
    public void UnknownNamesSayWhatIsAllowed(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => TorchDevices.Resolve(name));
        Assert.Contains("cpu, cuda or cuda:N", e.Message);
    }

    [Fact]
    public void AnUnavailableCudaDeviceIsExplained()
    {
        if (!torch.cuda.is_available())
        {
            // the bundled libtorch is CPU-only: the error says how to get a CUDA one
            var e = Assert.Throws<ArgumentException>(() => TorchDevices.Resolve("cuda:1"));
            Assert.Contains(ExternalLibTorch.EnvironmentVariable, e.Message);
            Assert.Contains("--device cpu", e.Message);
        }
        else
        {
            // on a CUDA libtorch: one past the last device is refused with the count
            int count = torch.cuda.device_count();
            var e = Assert.Throws<ArgumentException>(() => TorchDevices.Resolve($"cuda:{count}"));
            Assert.Contains($"has {count} CUDA device(s)", e.Message);
        }
    }

    [Fact]
    public void DescribeReportsTheBundledCpuRuntime()
    {
        var env = TorchDevices.Describe();
        Assert.Equal(torch.get_num_threads(), env.Threads);
        Assert.Equal(torch.cuda.is_available(), env.CudaAvailable);
        Assert.Empty(env.ExternalLibTorch);                       // the test host never sets FOLK_LAB_LIBTORCH
    }
}
