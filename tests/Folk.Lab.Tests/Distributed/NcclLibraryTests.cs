using Folk.Lab.Distributed.Nccl;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Distributed;

public sealed class NcclLibraryTests : IDisposable
{
    readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    const string TorchLib = "/opt/venv/lib/python3.12/site-packages/torch/lib";

    [Fact]
    public void CandidatesFollowTheLibTorchInUseThenTheSystemLoader()
    {
        var candidates = NcclLibrary.Candidates(null, TorchLib, new[] { $"{TorchLib}/libc10.so", $"{TorchLib}/libtorch.so" });
        Assert.Equal(new[]
        {
            $"{TorchLib}/libnccl.so.2",
            "/opt/venv/lib/python3.12/site-packages/nvidia/nccl/lib/libnccl.so.2",
            "libnccl.so.2",
        }, candidates.Select(c => c.Path));
        Assert.Equal(new[] { "beside libtorch", "pip's nvidia-nccl package", "system loader" }, candidates.Select(c => c.Origin));
    }

    [Fact]
    public void LoadedLibTorchComesBeforeTheVariableAndEachFolderOnce()
    {
        const string other = "/srv/libtorch/lib";
        var candidates = NcclLibrary.Candidates("  ", other, new[] { $"{TorchLib}/libc10.so" });
        Assert.Equal(new[]
        {
            $"{TorchLib}/libnccl.so.2", "/opt/venv/lib/python3.12/site-packages/nvidia/nccl/lib/libnccl.so.2",
            $"{other}/libnccl.so.2", "/srv/nvidia/nccl/lib/libnccl.so.2",
            "libnccl.so.2",
        }, candidates.Select(c => c.Path));
        Assert.Equal(new[] { "libnccl.so.2" }, NcclLibrary.Candidates(null, null, Array.Empty<string>()).Select(c => c.Path));
    }

    [Fact]
    public void TheVariableIsTheOnlyCandidateWhenSet()
    {
        var candidates = NcclLibrary.Candidates("/opt/nccl/lib/libnccl.so.2", TorchLib, new[] { $"{TorchLib}/libc10.so" });
        Assert.Equal(new[] { new NcclCandidate("/opt/nccl/lib/libnccl.so.2", NcclLibrary.EnvironmentVariable) }, candidates);
    }

    [Fact]
    public void WhenNoneLoadsTheErrorListsEveryCandidateInOrderWithItsReasonAndTheFix()
    {
        var torchLib = _temp.New("folk-lab-fake-torch-lib-");
        var fake = Path.Combine(torchLib, NcclLibrary.FileName);
        File.WriteAllText(fake, new string('x', 200));                                   // not an ELF file
        var missingFolder = Path.Combine(_temp.New("folk-lab-no-nccl-"), "absent", "lib");
        var candidates = new[]
        {
            new NcclCandidate(Path.Combine(missingFolder, NcclLibrary.FileName), "beside libtorch"),
            new NcclCandidate(fake, "beside libtorch"),
            new NcclCandidate("libnccl-folk-lab-test-absent.so.2", "system loader"),
        };

        var e = Assert.Throws<NcclUnavailableException>(() => NcclLibrary.Load(candidates));

        Assert.Equal(3, e.Tried.Count);
        Assert.StartsWith($"{candidates[0].Path} (beside libtorch): no such file", e.Tried[0]);
        Assert.StartsWith($"{fake} (beside libtorch): the loader refused it: ", e.Tried[1]);
        Assert.Contains("invalid ELF header", e.Tried[1]);                               // the loader's own words
        Assert.StartsWith("libnccl-folk-lab-test-absent.so.2 (system loader): the loader refused it: ", e.Tried[2]);
        Assert.Contains("cannot open shared object file", e.Tried[2]);
        foreach (var line in e.Tried) Assert.Contains(line, e.Message);
        Assert.True(e.Message.IndexOf(e.Tried[0], StringComparison.Ordinal) < e.Message.IndexOf(e.Tried[1], StringComparison.Ordinal));
        Assert.Contains("Install PyTorch with CUDA", e.Message);
        Assert.Contains(NcclLibrary.EnvironmentVariable, e.Message);
        Assert.Contains("FOLK_LAB_LIBTORCH", e.Message);
    }

    [Fact]
    public void ALibraryThatLoadsButIsNotNcclIsNamedWithTheMissingEntryPoint()
    {
        // libc loads fine and exports none of NCCL's functions
        var e = Assert.Throws<NcclUnavailableException>(() => NcclLibrary.Load(new[] { new NcclCandidate("libc.so.6", "system loader") }));
        Assert.Contains("libc.so.6 (system loader): loaded, but it does not export ncclGetVersion", e.Message);
    }

    [Theory]
    [InlineData(22105, "2.21.5")]
    [InlineData(22703, "2.27.3")]
    [InlineData(2708, "2.7.8")]                                                           // before 2.9: major*1000
    [InlineData(2400, "2.4.0")]
    public void VersionCodesDecodeByNcclsTwoSchemes(int code, string version) =>
        Assert.Equal(Version.Parse(version), NcclLibrary.DecodeVersion(code));

    [Fact]
    public void ALibraryReadsItsVersionAndDescribesErrorsInItsOwnWords()
    {
        using var fake = new FakeNccl(22105, lastError: "peer 3 closed the socket");
        var library = fake.Library();
        Assert.Equal(new Version(2, 21, 5), library.Version);
        Assert.Equal("fake", library.Source);
        Assert.Equal("fake text for 6 (peer 3 closed the socket)", library.Describe(NcclResult.RemoteError));

        var e = Assert.Throws<NcclException>(() => library.Check(NcclResult.RemoteError, "ncclAllReduce"));
        Assert.Equal(NcclResult.RemoteError, e.Result);
        Assert.Equal("ncclAllReduce", e.Call);
        Assert.StartsWith("ncclAllReduce failed with ncclRemoteError (6): fake text for 6 (peer 3 closed the socket).", e.Message);
        library.Check(NcclResult.Success, "ncclAllReduce");                                // success is silent
    }

    [Fact]
    public void LastErrorIsOptionalAndEveryOtherEntryPointRequired()
    {
        using var old = new FakeNccl(2708);
        Assert.Equal("fake text for 4", old.Library().Describe(NcclResult.InvalidArgument));

        using var broken = new FakeNccl(22105, null, "ncclCommGetAsyncError");
        var e = Assert.Throws<EntryPointNotFoundException>(() => broken.Library());
        Assert.Contains("ncclCommGetAsyncError", e.Message);
    }
}
