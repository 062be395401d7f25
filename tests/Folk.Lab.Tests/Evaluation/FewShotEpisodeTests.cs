using Folk.Lab.Evaluation;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Evaluation;

public class FewShotEpisodeTests
{
    static Dictionary<int, List<int>> Classes(int classes, int perClass) =>
        Enumerable.Range(0, classes).ToDictionary(c => c, c => Enumerable.Range(0, perClass).Select(i => c * perClass + i).ToList());

    [Fact]
    public void EpisodesAreClassBalancedDisjointAndSeeded()
    {
        var byClass = Classes(10, 30);
        var options = new FewShotOptions { Ways = 5, Shots = 3, Queries = 7, Seed = 11 };
        var episodes = Enumerable.Range(0, 50).Select(e => FewShotEpisodes.Sample(byClass, options, e)).ToList();
        foreach (var episode in episodes)
        {
            Assert.Equal(5, episode.Classes.Distinct().Count());
            Assert.Equal(15, episode.Support.Length);
            Assert.Equal(35, episode.Query.Length);
            Assert.Empty(episode.Support.Intersect(episode.Query));
            for (int c = 0; c < 5; c++)
            {
                // support and query are grouped by class, in the episode's class order
                Assert.All(episode.Support.Skip(3 * c).Take(3), i => Assert.Equal(episode.Classes[c], i / 30));
                Assert.All(episode.Query.Skip(7 * c).Take(7), i => Assert.Equal(episode.Classes[c], i / 30));
            }
        }
        // the same (seed, episode) gives the same episode; other seeds and episodes differ
        Assert.Equal(episodes[3].Support, FewShotEpisodes.Sample(byClass, options, 3).Support);
        Assert.NotEqual(episodes[3].Support, FewShotEpisodes.Sample(byClass, options with { Seed = 12 }, 3).Support);
        Assert.True(episodes.Select(e => string.Join(",", e.Classes)).Distinct().Count() > 10);
        // every class is drawn about equally often over the episodes (50 × 5 draws of 10 classes: 25 each)
        Assert.All(episodes.SelectMany(e => e.Classes).GroupBy(c => c), g => Assert.InRange(g.Count(), 10, 40));
    }

    [Fact]
    public void TooFewClassesOrImagesAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FewShotEpisodes.Sample(Classes(4, 30), new FewShotOptions { Ways = 5 }, 0));
        // classes with fewer than shots + queries images are not eligible
        Assert.Throws<ArgumentOutOfRangeException>(() => FewShotEpisodes.Sample(Classes(10, 19), new FewShotOptions { Ways = 5, Shots = 5, Queries = 15 }, 0));
    }

    [Fact]
    public void PrototypesClassifySeparatedClustersAndTheIntervalShrinksWithEpisodes()
    {
        // 6 classes in 8 dimensions: class c sits near the unit vector e_c, with noise; the nearest prototype is nearly always right
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        var labels = arange(6).repeat_interleave(40);
        var values = nn.functional.one_hot(labels, 8).to(ScalarType.Float32) + 0.3f * randn(240, 8, generator: generator);
        using var features = new Features(values, labels);
        var result = FewShotEpisodes.Evaluate(features, new FewShotOptions { Ways = 5, Shots = 5, Queries = 10, Episodes = 200 });
        Assert.InRange(result.Accuracy, 0.9, 1.0);
        Assert.Equal(200, result.Episodes);

        // with labels shuffled, accuracy falls to chance (1/5) within a few intervals
        var shuffled = labels.index_select(0, randperm(240, generator: generator));
        using var noise = new Features(values, shuffled);
        var chance = FewShotEpisodes.Evaluate(noise, new FewShotOptions { Ways = 5, Shots = 5, Queries = 10, Episodes = 200 });
        Assert.InRange(chance.Accuracy, 0.2 - 4 * chance.Interval95, 0.2 + 4 * chance.Interval95);
        Assert.True(chance.Interval95 > 0);
    }

    [Fact]
    public void OneEpisodeIsScoredAgainstHandComputedPrototypes()
    {
        // 2-way 2-shot in 2-D: class 0 support at (1,0),(1,0.2); class 1 at (0,1),(0.2,1); queries (1,0.1)→0, (0.1,1)→1, (0.9,0.8)→0
        var values = tensor(new float[] { 1, 0, 1, 0.2f, 0, 1, 0.2f, 1, 1, 0.1f, 0.6f, 1, 0.1f, 1, 0.9f, 0.8f }).view(8, 2);
        var normalised = nn.functional.normalize(values, dim: 1);
        var episode = new Episode(new[] { 0, 1 }, new[] { 0, 1, 2, 3 }, new[] { 4, 5, 6, 7 });     // queries 4, 5 counted as class 0; 6, 7 as class 1
        // by angle (the prototypes have equal norms): class 0's prototype at 5.65°, class 1's at 84.35°. (1,0.1) at 5.7° → 0, right;
        // (0.6,1) at 59.0° → 1, wrong; (0.1,1) at 84.3° → 1, right; (0.9,0.8) at 41.6° (35.9° from class 0, 42.7° from class 1) → 0, wrong
        Assert.Equal(0.5, FewShotEpisodes.Accuracy(normalised, episode, new FewShotOptions { Ways = 2, Shots = 2, Queries = 2 }), 10);
    }
}
