using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>The transformer's feed-forward part: fc1 → GELU → fc2 (dropout 0 in every MFM config).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;

    /// <summary>Creates dim → hidden → dim.</summary>
    public Mlp(int dim, int hidden) : base(nameof(Mlp))
    {
        fc1 = nn.Linear(dim, hidden);
        fc2 = nn.Linear(hidden, dim);
        RegisterComponents();
    }

    /// <summary>The second layer (its weight is rescaled at initialisation).</summary>
    public Linear Output => fc2;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var h = Autocast.Linear(x, fc1.weight!, fc1.bias);
        using var a = nn.functional.gelu(h);
        return Autocast.Linear(a, fc2.weight!, fc2.bias);
    }
}
