using Folk.Lab.Models;
using Folk.Lab.Models.Heads;
using static TorchSharp.torch;

namespace Folk.Lab.Methods;

/// <summary>
/// One branch of FOLK (FOLK paper, arXiv 2409.10362, Fig. 3): an encoder g with DINO's projection head h, and, on the student only,
/// MFM's reconstruction head ĥ. State_dict keys: <c>encoder.*</c>, <c>decoder.*</c> (MFM's name for ĥ),
/// <c>head.*</c> (DINO's name for h).
/// </summary>
public sealed class FolkBranch : nn.Module
{
    private readonly Encoder encoder;
    private readonly MfmHead? decoder;
    private readonly DinoHead head;

    /// <summary>Wires <paramref name="encoder"/> to a fresh projection head and, when <paramref name="withDecoder"/>, a
    /// fresh MFM head.</summary>
    public FolkBranch(Encoder encoder, DinoHeadConfig head, bool withDecoder) : base(nameof(FolkBranch))
    {
        this.encoder = encoder;
        if (withDecoder) decoder = new MfmHead(encoder.Features, encoder.Stride);
        this.head = new DinoHead(encoder.Features, head);
        RegisterComponents();
    }

    /// <summary>The backbone g.</summary>
    public Encoder Encoder => encoder;

    /// <summary>The MFM head ĥ (null on the teacher).</summary>
    public MfmHead? Decoder => decoder;

    /// <summary>The projection head h.</summary>
    public DinoHead Head => head;
}
