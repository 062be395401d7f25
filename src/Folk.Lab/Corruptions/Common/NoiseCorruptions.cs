using static TorchSharp.torch;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// ImageNet-C's noise family: <c>gaussian_noise</c>, <c>shot_noise</c> and <c>impulse_noise</c> (Hendrycks &amp;
/// Dietterich, arXiv 1903.12261, §3; hendrycks/robustness <c>ImageNet-C/create_c/make_imagenet_c.py</c> and, for 32²
/// images, <c>make_cifar_c.py</c>).
/// </summary>
/// <remarks>
/// <para>Each corruption is a deterministic core that takes its random draws as tensors (<see cref="Gaussian"/>,
/// <see cref="Shot"/>, <see cref="Impulse"/>), so a parity test can hand the same draws to the original code, and a
/// thin layer, <see cref="Apply"/>, that draws them from the generator: the whole batch's draws at once, in the order
/// of the images.</para>
/// <para>The original works on 8-bit images divided by 255 in float64 and multiplies by 255 at the end (ImageNet-C then
/// stores the result as 8-bit JPEG at quality 85, CIFAR-10-C as truncated uint8). Folk.Lab takes and returns float32
/// in [0,1] and stores nothing, so neither that final 8-bit rounding nor the JPEG is applied.</para>
/// </remarks>
public sealed class NoiseCorruptions : ICorruptionFamily
{
    /// <summary><c>gaussian_noise</c>: σ of the additive noise on the [0,1] scale.</summary>
    public static SeverityTable<double> GaussianSigma { get; } = new([.08, .12, 0.18, 0.26, 0.38], [0.04, 0.06, .08, .09, .10]);

    /// <summary><c>shot_noise</c>: c, photons per unit of intensity; the image becomes Poisson(c·x)/c.</summary>
    public static SeverityTable<double> ShotPhotons { get; } = new([60, 25, 12, 5, 3], [500, 250, 100, 75, 50]);

    /// <summary><c>impulse_noise</c>: skimage's <c>amount</c>, the probability that a value is replaced.</summary>
    public static SeverityTable<double> ImpulseAmount { get; } = new([.03, .06, .09, 0.17, 0.27], [.01, .02, .03, .05, .07]);

    /// <summary>skimage's <c>salt_vs_pepper</c> default: a replaced value is salt (1) with probability ½, else pepper (0).</summary>
    public const double SaltVersusPepper = 0.5;

    /// <inheritdoc/>
    public CorruptionFamily Family => CorruptionFamily.Noise;

    /// <inheritdoc/>
    public IReadOnlyList<CommonCorruption> Members { get; } = [CommonCorruption.GaussianNoise, CommonCorruption.ShotNoise, CommonCorruption.ImpulseNoise];

    /// <inheritdoc/>
    /// <remarks>Draws: a standard normal per value (float32) for Gaussian noise; Poisson counts with rate c·x (float64)
    /// for shot noise; two uniforms per value in [0,1) (float64) for impulse noise, the replacement draw first.</remarks>
    public Tensor Apply(CommonCorruption corruption, Tensor images, int severity, CorruptionConstants constants, Generator generator)
    {
        using var scope = NewDisposeScope();
        var result = corruption switch
        {
            CommonCorruption.GaussianNoise => Gaussian(images,
                randn(images.shape, dtype: ScalarType.Float32, generator: generator), GaussianSigma[severity, constants]),
            CommonCorruption.ShotNoise => Shot(
                poisson(images.to(ScalarType.Float64) * ShotPhotons[severity, constants], generator), ShotPhotons[severity, constants]),
            CommonCorruption.ImpulseNoise => Impulse(images,
                rand(images.shape, dtype: ScalarType.Float64, generator: generator),
                rand(images.shape, dtype: ScalarType.Float64, generator: generator), ImpulseAmount[severity, constants]),
            _ => throw new ArgumentOutOfRangeException(nameof(corruption), corruption, "not a noise corruption"),
        };
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>gaussian_noise</c> with given draws: clip(x + σ·z, 0, 1) (<c>np.random.normal(size=x.shape, scale=c)</c> is σ·z).
    /// </summary>
    /// <param name="images">B×3×H×W float32 in [0,1].</param>
    /// <param name="standardNormal">z, standard normal, the images' shape.</param>
    /// <param name="sigma">σ (<see cref="GaussianSigma"/>).</param>
    public static Tensor Gaussian(Tensor images, Tensor standardNormal, double sigma)
    {
        Guard.SameShape(images, nameof(images), standardNormal, nameof(standardNormal));
        using var scope = NewDisposeScope();
        return (images + standardNormal.to(images.dtype) * sigma).clamp_(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>shot_noise</c> with given draws: clip(k / c, 0, 1), where k ~ Poisson(c·x) (<c>np.random.poisson(x * c) / c</c>).
    /// Computed in float64, as the original, and returned as float32.
    /// </summary>
    /// <param name="counts">k, the Poisson counts, B×3×H×W (any real dtype).</param>
    /// <param name="photons">c (<see cref="ShotPhotons"/>).</param>
    public static Tensor Shot(Tensor counts, double photons)
    {
        Guard.Positive(photons, nameof(photons));
        using var scope = NewDisposeScope();
        return (counts.to(ScalarType.Float64) / photons).clamp_(0, 1).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>impulse_noise</c> with given draws: skimage's <c>util.random_noise(x, mode='s&amp;p', amount=p)</c>
    /// (scikit-image/scikit-image <c>skimage/util/noise.py</c>). A value is replaced where its first draw is ≤ p, by 1
    /// where its second draw is ≤ ½ (salt) and by 0 otherwise (pepper; 0 is skimage's <c>low_clip</c> for images with no
    /// negative value); p = 0 replaces nothing and p = 1 everything, as skimage's <c>_bernoulli</c> says.
    /// </summary>
    /// <remarks>skimage draws the two uniform arrays with <c>rng.random(image.shape)</c>, replacement first. Older
    /// scikit-image releases picked ⌈p·N/2⌉ salt and ⌈p·N/2⌉ pepper coordinates instead, with replacement and from
    /// <c>randint(0, size − 1)</c> along each axis, which never reaches the last row, column or channel; which release
    /// produced the published ImageNet-C files is not recorded. Folk.Lab follows the current definition, in which
    /// every value is replaced independently with probability p.</remarks>
    /// <param name="images">B×3×H×W float32 in [0,1].</param>
    /// <param name="replaceDraws">Uniform draws in [0,1), the images' shape: replaced where ≤ p.</param>
    /// <param name="saltDraws">Uniform draws in [0,1), the images' shape: salt where ≤ ½.</param>
    /// <param name="amount">p (<see cref="ImpulseAmount"/>).</param>
    public static Tensor Impulse(Tensor images, Tensor replaceDraws, Tensor saltDraws, double amount)
    {
        Guard.Probability(amount, nameof(amount));
        Guard.SameShape(images, nameof(images), replaceDraws, nameof(replaceDraws));
        Guard.SameShape(images, nameof(images), saltDraws, nameof(saltDraws));
        using var scope = NewDisposeScope();
        var replaced = Bernoulli(replaceDraws, amount);
        var salt = Bernoulli(saltDraws, SaltVersusPepper);
        var value = salt.to(images.dtype);                                   // 1 for salt, 0 for pepper
        return where(replaced, value, images).MoveToOuterDisposeScope();
    }

    /// <summary>skimage's <c>_bernoulli(p, shape, rng)</c> given its draws u: u ≤ p, with p = 0 and p = 1 exact.</summary>
    static Tensor Bernoulli(Tensor draws, double p) =>
        p == 0 ? zeros_like(draws, dtype: ScalarType.Bool)
        : p == 1 ? ones_like(draws, dtype: ScalarType.Bool)
        : draws.to(ScalarType.Float64).le(p);
}
