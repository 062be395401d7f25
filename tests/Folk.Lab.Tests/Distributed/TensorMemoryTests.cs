using System.Runtime.InteropServices;
using Folk.Lab.Distributed;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Distributed;

public class TensorMemoryTests
{
    [Fact]
    public void ThePointerAddressesTheTensorsElements()
    {
        var values = new[] { 1.5f, -2f, 3.25f, 8f, 1e-3f, -7.75f };
        using var x = tensor(values).reshape(2, 3);
        var read = new float[values.Length];
        Marshal.Copy(TensorMemory.Pointer(x), read, 0, read.Length);
        Assert.Equal(values, read);

        using var longs = tensor(new[] { long.MaxValue, -1L, 42L });
        var readLongs = new long[3];
        Marshal.Copy(TensorMemory.Pointer(longs), readLongs, 0, 3);
        Assert.Equal(new[] { long.MaxValue, -1L, 42L }, readLongs);
    }

    [Fact]
    public void ASliceStartsAtItsOwnFirstElement()
    {
        using var buffer = arange(10, dtype: ScalarType.Float32);
        using var slice = buffer.narrow(0, 3, 4);
        Assert.Equal(3 * sizeof(float), (long)TensorMemory.Pointer(slice) - (long)TensorMemory.Pointer(buffer));
        var read = new float[4];
        Marshal.Copy(TensorMemory.Pointer(slice), read, 0, 4);
        Assert.Equal(new[] { 3f, 4f, 5f, 6f }, read);
    }

    [Fact]
    public void WritesThroughThePointerAreTheTensors()
    {
        using var x = zeros(4, dtype: ScalarType.Float32);
        Marshal.Copy(new[] { 9f, 8f, 7f, 6f }, 0, TensorMemory.Pointer(x), 4);
        Assert.Equal(new[] { 9f, 8f, 7f, 6f }, x.data<float>().ToArray());
    }
}
