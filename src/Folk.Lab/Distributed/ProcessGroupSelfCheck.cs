using static TorchSharp.torch;

namespace Folk.Lab.Distributed;

/// <summary>What <see cref="ProcessGroupSelfCheck.Run"/> found: the engine, the job's size and the checks that passed.</summary>
public sealed record ProcessGroupSelfCheckResult(string Backend, int WorldSize, IReadOnlyList<string> Passed);

/// <summary>
/// Checks a process group's collectives on CPU tensors with values whose results are known in closed form: every rank
/// r contributes r + 1, so a sum is n(n+1)/2, and rank 0's broadcast values must arrive unchanged. What
/// <c>mpirun -n N folk-lab env --probe-mpi</c> runs to show that a machine's MPI works before a long job starts.
/// </summary>
public static class ProcessGroupSelfCheck
{
    /// <summary>Runs the checks on every rank of <paramref name="group"/> (all must call it).</summary>
    /// <exception cref="InvalidOperationException">A collective returned something else than the known result.</exception>
    public static ProcessGroupSelfCheckResult Run(IProcessGroup group)
    {
        int n = group.WorldSize, r = group.Rank;
        double expected = n * (n + 1) / 2.0;
        var passed = new List<string>();
        void Expect(bool ok, string what, string got)
        {
            if (!ok) throw new InvalidOperationException($"{group.Backend}, rank {r} of {n}: {what} gave {got}, expected {expected} (Σ rank + 1).");
            passed.Add(what);
        }

        using (var x = tensor(new[] { r + 1.0, 2.0 * (r + 1) }))
        {
            group.AllReduceSum(x);
            var v = x.data<double>().ToArray();
            Expect(v[0] == expected && v[1] == 2 * expected, "all-reduce float64", $"[{v[0]}, {v[1]}]");
        }
        using (var x = full(1_000_003, r + 1f))                            // several MPI segments, an odd length
        {
            group.AllReduceSum(x);
            float lowest = x.min().item<float>(), highest = x.max().item<float>();
            Expect(lowest == expected && highest == expected, "all-reduce float32 (10⁶ elements)", $"[{lowest}, {highest}]");
        }
        using (var x = tensor(new long[] { r + 1 }))
        {
            group.AllReduceSum(x);
            Expect(x.item<long>() == (long)expected, "all-reduce int64", $"{x.item<long>()}");
        }
        using (var x = r == 0 ? tensor(new[] { 42f, -1.5f }) : zeros(2))
        {
            group.Broadcast(x);
            var v = x.data<float>().ToArray();
            if (v[0] != 42f || v[1] != -1.5f) throw new InvalidOperationException($"{group.Backend}, rank {r} of {n}: broadcast from rank 0 gave [{v[0]}, {v[1]}], expected [42, -1.5].");
            passed.Add("broadcast");
        }
        group.Barrier();
        passed.Add("barrier");
        return new ProcessGroupSelfCheckResult(group.Backend, n, passed);
    }
}
