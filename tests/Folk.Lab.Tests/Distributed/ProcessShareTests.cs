using Folk.Lab.Corruptions;
using Folk.Lab.Data;
using Folk.Lab.Masks;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Distributed;

/// <summary>
/// What makes P processes compute the steps of one: each loads a disjoint block of every step's global batch, the
/// blocks laid end to end are the one process's batch, and per-image randomness drawn for the whole step lines up.
/// </summary>
public class ProcessShareTests
{
    static readonly SyntheticImages Images = new(new SyntheticImagesOptions { Size = 16, Count = 50, Seed = 3 });

    static DataLoader Loader(int batch, ProcessShare share) =>
        new(Images, null, new DataLoaderOptions { BatchSize = batch, Seed = 7, Workers = 1, Share = share });

    [Fact]
    public void TwoSharesOfBatch4LoadExactlyTheBatchesOfOneProcessWithBatch8()
    {
        var whole = Loader(8, ProcessShare.Whole);
        var ranks = new[] { Loader(4, new ProcessShare(0, 2)), Loader(4, new ProcessShare(1, 2)) };
        Assert.Equal(6, whole.BatchesPerEpoch);                            // 50 images, drop_last
        Assert.All(ranks, r => Assert.Equal(whole.BatchesPerEpoch, r.BatchesPerEpoch));
        Assert.All(ranks, r => Assert.Equal(8, r.GlobalBatch));

        foreach (int epoch in new[] { 0, 1 })
        {
            var one = whole.Epoch(epoch).ToList();
            var parts = ranks.Select(r => r.Epoch(epoch).ToList()).ToArray();
            var seen = new HashSet<int>();
            for (int b = 0; b < one.Count; b++)
            {
                Assert.Equal(one[b].Indices, parts[0][b].Indices.Concat(parts[1][b].Indices));
                Assert.True(one[b].Images.eq(cat(new[] { parts[0][b].Images, parts[1][b].Images })).all().item<bool>());
                Assert.Equal(new BatchShard(0, 8), parts[0][b].Shard);
                Assert.Equal(new BatchShard(4, 8), parts[1][b].Shard);
                Assert.Null(one[b].Shard);
                foreach (var i in parts[0][b].Indices.Concat(parts[1][b].Indices)) Assert.True(seen.Add(i), $"image {i} loaded twice in epoch {epoch}");
            }
            foreach (var batch in one.Concat(parts.SelectMany(p => p))) batch.Dispose();
        }
    }

    [Fact]
    public void AShareMustDropTheLastIncompleteBatchAndHaveARankInRange()
    {
        var e = Assert.Throws<ArgumentException>(() => new DataLoader(Images, null, new DataLoaderOptions { BatchSize = 4, Share = new ProcessShare(0, 2), DropLast = false }));
        Assert.Contains("DropLast = true", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Loader(4, new ProcessShare(2, 2)));
    }

    /// <summary>Each mask drawn with a shard equals the rows of the mask drawn for the whole batch.</summary>
    public static TheoryData<string> Masks => new() { "radial", "folk", "folk+radial", "random" };

    static IFrequencyMask Mask(string name) => name switch
    {
        "radial" => new RadialMask(new RadialMaskOptions().ScaledTo(16)),
        "folk" => new FolkMask(),
        "folk+radial" => new FolkMask(new FolkMaskOptions { RadialProbability = 0.5, Radial = new RadialMaskOptions().ScaledTo(16) }),
        _ => new RandomFrequencyMask(),
    };

    [Theory, MemberData(nameof(Masks))]
    public void AMaskDrawnForAShareIsThatShareOfTheMaskDrawnForTheWholeBatch(string name)
    {
        var mask = Mask(name);
        using var images = rand(8, 3, 16, 16, generator: new Generator(1));
        using var generator = new Generator(0);
        generator.manual_seed(11);
        using var whole = mask.Sample(images, generator);
        for (int rank = 0; rank < 2; rank++)
        {
            generator.manual_seed(11);
            using var part = mask.Sample(images.narrow(0, 4 * rank, 4), generator, new BatchShard(4 * rank, 8));
            Assert.True(whole.Masks.narrow(0, 4 * rank, 4).eq(part.Masks).all().item<bool>(), $"{name}: rank {rank}'s masks differ from its rows of the whole batch's");
            Assert.Equal(whole.Samples.Skip(4 * rank).Take(4), part.Samples);
        }
        // and the draws differ from image to image, so the test can tell a shard that drew for itself alone
        Assert.True(whole.Samples.Distinct().Count() > 1 || name == "random", $"{name}: every image drew the same mask");
    }

    [Fact]
    public void DenoisingAndBlurNoiseIsThatShareOfTheWholeBatchsNoise()
    {
        foreach (ICorruption corruption in new ICorruption[] { new GaussianNoiseCorruption(), new GaussianBlurCorruption() })
        {
            using var images = rand(8, 3, 16, 16, generator: new Generator(2));
            using var generator = new Generator(5);
            using var whole = corruption.Apply(images, generator);
            generator.manual_seed(5);
            using var part = corruption.Apply(images.narrow(0, 4, 4), generator, new BatchShard(4, 8));
            Assert.True(allclose(whole.Images.narrow(0, 4, 4), part.Images, rtol: 0, atol: 1e-6), corruption.GetType().Name);
        }
    }
}
