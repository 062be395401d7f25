using Folk.Lab.Corruptions.Common;

namespace Folk.Lab.Evaluation.Robustness;

/// <summary>What <see cref="RobustnessEvaluation"/> measures, and how.</summary>
public sealed record RobustnessOptions
{
    /// <summary>The corruptions; empty for a clean-only evaluation (ImageNet-A, -R, -Sketch). Default: all fifteen.</summary>
    public IReadOnlyList<CommonCorruption> Corruptions { get; init; } = CommonCorruptions.All;

    /// <summary>The severities of each corruption (ImageNet-C: 1–5; a corruption error needs all five).</summary>
    public IReadOnlyList<int> Severities { get; init; } = [1, 2, 3, 4, 5];

    /// <summary>Seed of the corruptions' randomness and of the image subset.</summary>
    public long Seed { get; init; }

    /// <summary>Score a seeded random subset of this many test images (null: all of them).</summary>
    public int? Images { get; init; }

    /// <summary>What the corruption errors are divided by: null for AlexNet when the data is ImageNet (1,000 classes,
    /// 224²), and for no normalisation otherwise (the unnormalised mean error is always reported).</summary>
    public CorruptionBaseline? Baseline { get; init; }

    /// <summary>False: report only the unnormalised errors, even on ImageNet (<see cref="Baseline"/> is then ignored).</summary>
    public bool Normalise { get; init; } = true;

    /// <summary>Images per forward pass.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Decoding threads.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;
}
