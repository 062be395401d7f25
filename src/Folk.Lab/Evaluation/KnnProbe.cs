using static TorchSharp.torch;

namespace Folk.Lab.Evaluation;

/// <summary>Options of the k-NN probe.</summary>
/// <remarks>Defaults: DINO eval_knn.py (<c>--nb_knn 20</c>, <c>--temperature 0.07</c>), cosine similarity on
/// L2-normalised features.</remarks>
public sealed record KnnProbeOptions
{
    /// <summary>Neighbours that vote (DINO reports k = 20 as its headline k-NN number).</summary>
    public int K { get; init; } = 20;

    /// <summary>T in the vote weight <c>exp(cos / T)</c> (DINO: 0.07).</summary>
    public double Temperature { get; init; } = 0.07;

    /// <summary>Test features compared at once (memory: chunk × train count similarities).</summary>
    public int Chunk { get; init; } = 1024;
}

/// <summary>
/// DINO's weighted k-nearest-neighbour classifier on frozen features: features are L2-normalised, each test image's
/// k most cosine-similar training images vote for their label with weight <c>exp(cos / T)</c>, and the label with the
/// largest total wins (DINO eval_knn.py <c>knn_classifier</c>). No training, no hyper-parameter search.
/// </summary>
public static class KnnProbe
{
    /// <summary>Top-1 accuracy of the classifier built on <paramref name="train"/>, scored on <paramref name="test"/>.</summary>
    public static double Evaluate(Features train, Features test, KnnProbeOptions? options = null)
    {
        options ??= new KnnProbeOptions();
        Guard.Positive(options.K, nameof(options.K));
        Guard.Positive(options.Temperature, nameof(options.Temperature));
        if (train.Values.shape[1] != test.Values.shape[1])
            throw new ArgumentException($"train and test features differ in width: {train.Values.shape[1]} vs {test.Values.shape[1]}.", nameof(test));
        using var scope = NewDisposeScope();
        long classes = Math.Max(train.Labels.max().item<long>(), test.Labels.max().item<long>()) + 1;
        int k = (int)Math.Min(options.K, train.Values.shape[0]);
        var trainNorm = nn.functional.normalize(train.Values.to(ScalarType.Float32), dim: 1);
        var testNorm = nn.functional.normalize(test.Values.to(ScalarType.Float32), dim: 1);
        long correct = 0, n = testNorm.shape[0];
        for (long start = 0; start < n; start += options.Chunk)
        {
            using var chunkScope = NewDisposeScope();
            long count = Math.Min(options.Chunk, n - start);
            var similarity = testNorm.narrow(0, start, count).matmul(trainNorm.T);       // count × N
            var (top, index) = similarity.topk(k, dim: 1);
            var neighbours = train.Labels.index_select(0, index.flatten()).view(count, k);
            var weights = (top / options.Temperature).exp();
            var votes = zeros(count, classes).scatter_add_(1, neighbours, weights);
            correct += votes.argmax(1).eq(test.Labels.narrow(0, start, count)).sum().item<long>();
        }
        return (double)correct / n;
    }
}
