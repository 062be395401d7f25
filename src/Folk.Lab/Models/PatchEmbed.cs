using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>Image → tokens: a p×p convolution with stride p (with bias), flattened to B×N×D.</summary>
public sealed class PatchEmbed : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d proj;

    /// <summary>Creates the embedding of 3-channel images into <paramref name="embedDim"/>-wide tokens.</summary>
    public PatchEmbed(int patchSize, int embedDim, int inChannels = 3) : base(nameof(PatchEmbed))
    {
        proj = nn.Conv2d(inChannels, embedDim, kernel_size: patchSize, stride: patchSize);
        RegisterComponents();
    }

    /// <summary>The convolution (for initialisation).</summary>
    public Conv2d Projection => proj;

    /// <inheritdoc/>
    public override Tensor forward(Tensor images)
    {
        using var x = proj.forward(images);
        return x.flatten(2).transpose(1, 2);
    }
}
