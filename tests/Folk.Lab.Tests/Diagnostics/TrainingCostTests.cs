using Folk.Lab.Diagnostics;
using Folk.Lab.Experiments;

namespace Folk.Lab.Tests.Diagnostics;

public class TrainingCostTests
{
    [Fact]
    public void MfmsOfficialViTBaseRunIsAbout4Times10To19Flops()
    {
        // 3 × 17.6 G multiply-adds × 2 FLOPs × 1,281,167 images × 300 epochs ≈ 4.06e19 (MFM's recipe: no token dropping)
        double flops = TrainingCost.Pretraining(MfmPresets.VitBase224Ep300, TrainingCost.ImageNetTrainImages);
        Assert.InRange(flops, 3.9e19, 4.2e19);
        Assert.Equal(flops / TrainingCost.AssumedRate / 3600, TrainingCost.GpuHours(flops), 9);
        Assert.Equal(1.0, TrainingCost.GpuHours(3600 * 2e14, 2e14), 12);
    }

    [Fact]
    public void FolksStepCostsAboutThreeOfMfmsAndFineTuningSkipsTheMfmHead()
    {
        double ratio = TrainingCost.PretrainingFlopsPerImage(FolkPresets.VitBase16Ep300) / TrainingCost.PretrainingFlopsPerImage(MfmPresets.VitBase224Ep300);
        Assert.InRange(ratio, 2.5, 3.0);
        double finetune = TrainingCost.FinetuningFlopsPerImage("vit-b");
        Assert.InRange(finetune / 6 / 1e9, 17.4, 17.7);                        // 3 × 2 × 17.5 G multiply-adds, no 1×1-conv head
        Assert.Throws<NotSupportedException>(() => TrainingCost.FinetuningFlopsPerImage("resnet50"));
    }
}
