using Folk.Lab.Data.Manifests;
using Folk.Lab.Data.Readers;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Data.Manifests;

public sealed class ManifestVerifierTests : IDisposable
{
    readonly FakeDataset _data = new();

    public void Dispose() => _data.Dispose();

    sealed class Recorder : IProgress<ManifestProgress>
    {
        public List<ManifestProgress> Reports { get; } = new();

        public void Report(ManifestProgress value)
        {
            lock (Reports) Reports.Add(value);
        }
    }

    [Fact]
    public void AnIntactDataSetIsVerifiedWithProgressUpToTheTotal()
    {
        var recorder = new Recorder();
        var report = ManifestVerifier.Verify(ManifestReader.Read(_data.ManifestPath), _data.Root, recorder, parallelism: 2);
        Assert.Empty(report.Problems);
        Assert.Equal(ManifestVerdict.Verified, report.Verdict);
        Assert.Equal(4 + 2 + 2, report.FilesChecked);                  // 4 images, 2 listed files, 2 list entries
        Assert.Equal(4, report.ImagesDecoded);
        Assert.True(report.BytesRead >= 3000, "the hashed file was read");
        Assert.Equal(8, recorder.Reports.Count);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), recorder.Reports.Select(r => r.Done));
        Assert.All(recorder.Reports, r => Assert.Equal(8, r.Total));
        Assert.Equal(1.0, recorder.Reports[^1].Fraction);
    }

    [Fact]
    public void EveryKindOfProblemIsReportedWithItsPath()
    {
        File.Delete(_data.P("train/dog/dog_1.png"));                                 // missing image, named in the list too
        File.WriteAllText(_data.P("train/cat/notes.txt"), "not an image");            // extra in an image folder
        File.WriteAllBytes(_data.P("train/cat/cat_2.png"), new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0 });   // corrupt
        File.WriteAllBytes(_data.P("train/stray.png"), File.ReadAllBytes(_data.P("train/cat/cat_1.png")));   // outside the classes
        var blob = File.ReadAllBytes(_data.P("meta/blob.bin"));
        blob[100] ^= 1;
        File.WriteAllBytes(_data.P("meta/blob.bin"), blob);                          // same size, other content
        File.AppendAllText(_data.P("meta/list.txt"), "bird_1.png\n");                // one entry too many, and missing
        File.WriteAllText(_data.P("meta/extra.dat"), "x");                            // unlisted in an exclusive folder

        var report = ManifestVerifier.Verify(ManifestReader.Read(_data.ManifestPath), _data.Root);
        Assert.Equal(ManifestVerdict.ProblemsFound, report.Verdict);
        var found = report.Problems.Select(p => (p.Kind, p.Split, p.Path)).ToArray();
        Assert.Equal(new[]
        {
            (ManifestProblemKind.WrongCount, "train", "train"),
            (ManifestProblemKind.Undecodable, "train", "train/cat/cat_2.png"),
            (ManifestProblemKind.Extra, "train", "train/cat/notes.txt"),
            (ManifestProblemKind.Extra, "train", "train/stray.png"),
            (ManifestProblemKind.ChecksumMismatch, "meta", "meta/blob.bin"),
            (ManifestProblemKind.Extra, "meta", "meta/extra.dat"),
            (ManifestProblemKind.WrongCount, "subset", "meta/list.txt"),
            (ManifestProblemKind.Missing, "subset", "train/bird/bird_1.png"),
            (ManifestProblemKind.Missing, "subset", "train/dog/dog_1.png"),
        }, found);
        Assert.Equal("3 images, expected 4", report.Problems[0].Detail);      // the corrupt one counts; stray.png does not
        Assert.Contains("3 entries, expected 2", report.Problems[6].Detail);
        Assert.Contains("named in meta/list.txt", report.Problems[7].Detail);
    }

    [Fact]
    public void WrongSizesMissingFilesAndFoldersAreReported()
    {
        File.WriteAllBytes(_data.P("meta/blob.bin"), new byte[10]);
        File.Delete(_data.P("meta/list.txt"));
        Directory.Delete(_data.P("train"), recursive: true);
        var report = ManifestVerifier.Verify(ManifestReader.Read(_data.ManifestPath), _data.Root);
        Assert.Equal(new[]
        {
            (ManifestProblemKind.MissingFolder, "train"),
            (ManifestProblemKind.WrongSize, "meta/blob.bin"),                       // not hashed as well: the size says enough
            (ManifestProblemKind.Missing, "meta/list.txt"),
            (ManifestProblemKind.Missing, "meta/list.txt"),
        }, report.Problems.Select(p => (p.Kind, p.Path)));
        Assert.Equal("10 bytes, expected 3,000", report.Problems[1].Detail);
        Assert.Throws<DirectoryNotFoundException>(() => ManifestVerifier.Verify(ManifestReader.Read(_data.ManifestPath), _data.P("absent")));
    }

    [Fact]
    public void IdxFilesAreReadThroughAndTheirCountsCompared()
    {
        var root = _data.P("fashion");
        Directory.CreateDirectory(root);
        var images = Readers.IdxFileTests.Gzip(Readers.IdxFileTests.Idx(new[] { 3, 28, 28 }, new byte[3 * 784]));
        File.WriteAllBytes(Path.Combine(root, "train-images-idx3-ubyte.gz"), images);
        File.WriteAllBytes(Path.Combine(root, "train-labels-idx1-ubyte.gz"), Readers.IdxFileTests.Gzip(Readers.IdxFileTests.Idx(new[] { 2 }, new byte[2])));
        File.WriteAllBytes(Path.Combine(root, "readme.txt"), "not IDX"u8.ToArray());
        var manifest = ManifestReader.Parse($$"""
            { "name": "fm", "description": "d", "source": "s", "layout": "fashion-mnist-idx", "classes": 10,
              "splits": [ { "name": "train", "path": "", "images": 3, "exclusive": false, "files": [
                { "path": "train-images-idx3-ubyte.gz", "bytes": {{images.Length}}, "sha256": null },
                { "path": "train-labels-idx1-ubyte.gz", "bytes": null, "sha256": null },
                { "path": "readme.txt", "bytes": null, "sha256": null, "optional": true } ] } ] }
            """, "fm.json");
        var report = ManifestVerifier.Verify(manifest, root);
        Assert.Equal((3L, 3L), (report.FilesChecked, report.ImagesDecoded));
        var problem = Assert.Single(report.Problems);
        Assert.Equal((ManifestProblemKind.WrongCount, "train-labels-idx1-ubyte.gz", "2 entries, expected 3"), (problem.Kind, problem.Path, problem.Detail));

        File.WriteAllBytes(Path.Combine(root, "train-labels-idx1-ubyte.gz"), Readers.IdxFileTests.Gzip(Readers.IdxFileTests.Idx(new[] { 3 }, new byte[3])));
        File.WriteAllBytes(Path.Combine(root, "train-images-idx3-ubyte.gz"), images[..^5].Concat(new byte[5]).ToArray());   // same size, cut trailer
        problem = Assert.Single(ManifestVerifier.Verify(manifest, root).Problems);
        Assert.Equal((ManifestProblemKind.Undecodable, "train-images-idx3-ubyte.gz"), (problem.Kind, problem.Path));
        Assert.StartsWith("the gzip data is damaged", problem.Detail);
    }

    [FashionMnistFact]
    public void TheShippedFashionMnistManifestVerifiesDebiansFolderAndOpensBothSplits()
    {
        var manifest = ManifestReader.Read(Path.Combine(RepositoryRoot.Path, "data-manifests", "fashion-mnist.json"));
        Assert.Equal("/usr/share/datasets/fashion-mnist/", manifest.DefaultRoot);
        var report = ManifestVerifier.Verify(manifest, manifest.DefaultRoot!);
        Assert.Empty(report.Problems);
        Assert.Equal(ManifestVerdict.Verified, report.Verdict);
        Assert.Equal((4L, 70_000L), (report.FilesChecked, report.ImagesDecoded));

        var test = Assert.IsType<FashionMnistDataset>(ManifestDatasets.Open(manifest, null, "test"));    // no root: default_root
        Assert.Equal((10_000, 28, Folk.Lab.Data.GreyChannels.Repeat3), (test.Count, test.ImageSize, test.Channels));
        Assert.Equal(60_000, ManifestDatasets.Open(manifest, FashionMnistFactAttribute.Folder).Count);
    }
}
