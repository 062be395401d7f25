using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Distributed.Nccl;

/// <summary>What <see cref="NcclSelfCheck.Run"/> found.</summary>
/// <param name="Library">Where NCCL was loaded from (<see cref="NcclLibrary.Source"/>).</param>
/// <param name="Version">NCCL's version (<c>ncclGetVersion</c>).</param>
/// <param name="CudaDevice">The device the one-rank communicator ran on.</param>
/// <param name="Passed">The checks that passed, in the order run; all of them, since a failing one throws.</param>
public sealed record NcclSelfCheckResult(string Library, Version Version, int CudaDevice, IReadOnlyList<string> Passed);

/// <summary>
/// A check of the whole NCCL path on one GPU, world size 1: load the library, make a unique id and a one-rank
/// communicator through <see cref="NcclProcessGroup"/>, all-reduce float32 and bfloat16 tensors, check a slice's device
/// address, broadcast from root 0 and pass a barrier. On one rank a sum and a broadcast leave the tensor as it was, so each result must equal its
/// input exactly; what this proves is that the bindings, the device pointers, the dtypes and the stream agree with the
/// NCCL in use. Agreement between ranks needs two GPUs (the trainer's distributed equivalence check).
/// </summary>
public static class NcclSelfCheck
{
    /// <summary>Runs the checks on CUDA device <paramref name="cudaDevice"/>.</summary>
    /// <exception cref="NcclUnavailableException">No NCCL library loaded.</exception>
    /// <exception cref="NcclException">An NCCL call failed.</exception>
    /// <exception cref="InvalidOperationException">No CUDA, or a collective changed a tensor it must leave alone.</exception>
    public static NcclSelfCheckResult Run(int cudaDevice = 0)
    {
        var library = NcclLibrary.Load();
        var passed = new List<string>();
        using var group = new NcclProcessGroup(0, 1, id => id, cudaDevice);
        passed.Add($"one-rank communicator ({group.Backend})");
        var device = torch.device(DeviceType.CUDA, cudaDevice);
        using (var scope = torch.NewDisposeScope())
        {
            Expect("all-reduce float32", torch.tensor(new[] { 1f, 2f, 3f }, device: device), group.AllReduceSum, passed);
            Expect("all-reduce bfloat16", torch.tensor(new[] { 1f, -2.5f, 384f }, device: device).to(ScalarType.BFloat16), group.AllReduceSum, passed);
            // on one rank any address sums to itself, so the slice's device pointer is checked directly
            var buffer = torch.arange(8, dtype: ScalarType.Float32, device: device);
            long offset = (long)TensorMemory.Pointer(buffer.narrow(0, 3, 4)) - (long)TensorMemory.Pointer(buffer);
            if (offset != 3 * sizeof(float))
                throw new InvalidOperationException($"NCCL self-check: the device address of elements 3.. of a float32 buffer is {offset} bytes past its start, not {3 * sizeof(float)}.");
            passed.Add("device address of a slice");
            Expect("broadcast from root 0", torch.tensor(new[] { 4L, 5L, 6L }, device: device), t => group.Broadcast(t, 0), passed);
        }
        group.Barrier();
        passed.Add("barrier");
        return new NcclSelfCheckResult(library.Source, library.Version, cudaDevice, passed);
    }

    static void Expect(string name, Tensor tensor, Action<Tensor> collective, List<string> passed)
    {
        using var before = tensor.cpu().to(ScalarType.Float64);
        collective(tensor);
        using var after = tensor.cpu().to(ScalarType.Float64);
        if (!before.eq(after).all().item<bool>())
            throw new InvalidOperationException(
                $"NCCL self-check, {name} on one rank: expected [{string.Join(", ", before.data<double>().ToArray())}] unchanged, " +
                $"got [{string.Join(", ", after.data<double>().ToArray())}].");
        passed.Add(name);
    }
}
