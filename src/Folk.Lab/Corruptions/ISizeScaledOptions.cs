using Folk.Lab.Frequency;

namespace Folk.Lab.Corruptions;

/// <summary>Corruption options given for 224² images, the papers' size, that carry over to another image size.</summary>
/// <typeparam name="TSelf">The options record.</typeparam>
public interface ISizeScaledOptions<out TSelf>
{
    /// <summary>These options for images of <paramref name="imageSize"/> pixels under <paramref name="rule"/>
    /// (unchanged at 224²).</summary>
    TSelf ScaledTo(int imageSize, SizeScaling rule);
}
