using System.Text.Json.Nodes;
using Folk.Lab.Frequency;
using Folk.Lab.Interactive.Views;
using Folk.Lab.Kernel.Display;
using Folk.Lab.Kernel.Notebooks;
using Folk.Lab.Masks;
using Folk.Lab.Models;
using Folk.Lab.Training;
using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Tests.Support;

/// <summary>An executed-looking notebook holding one output of every view, built without running a kernel.</summary>
internal static class ViewReport
{
    public const int Charts = 2;   // radial profile, ablation explorer

    public static Notebook Build()
    {
        Interactive.Charts.PlotlyPage.Reset();
        using var scope = NewDisposeScope();
        var images = TestTensors.Images(4, 3, 64);
        var mask = RadialMask.LowPassBranch(64, 8);
        manual_seed(5);
        using var model = new VisionTransformer(VisionTransformerConfig.Tiny16 with { ImageSize = 64, Depth = 2 });
        model.eval();
        var monitor = new TrainingMonitor();
        for (int s = 0; s < 20; s++)
            ((ITrainingCallbacks)monitor).OnStep(new StepReport(s, 20, 0, 1, new Dictionary<string, double> { ["loss"] = 1.0 / (s + 1) },
                                                                 1e-3, 50, TimeSpan.FromSeconds(s), TimeSpan.FromSeconds(20 - s)));
        var values = new (string Source, object Value)[]
        {
            ("ImageGrid.Of(images, captions)", ImageGrid.Of(images, ["a", "b", "c", "d"])),
            ("SpectrumView.Of(images[0], phase: true)", SpectrumView.Of(images[0], phase: true)),
            ("RadialProfileView.Of(RadialProfile.Compute(images))", RadialProfileView.Of(RadialProfile.Compute(images))),
            ("MaskOverlay.Of(images[0], mask)", MaskOverlay.Of(images[0], mask, "LowPass(8)")),
            ("CorruptionStory.Of(images[0], mask, reconstruction)", CorruptionStory.Of(images[0], mask, images[1], "LowPass(8)")),
            ("AttentionMap.Of(model, images[0])", AttentionMap.Of(model, images[0])),
            ("monitor", monitor),
            ("frame", new DataFrame(new StringDataFrameColumn("mask", ["low", "high"]), new DoubleDataFrameColumn("kept", [0.05, 0.95]))),
            ("new ComparisonTable(rows)", new ComparisonTable([new("top-1", 83.6, 84.0), new("top-1 (quick)", 83.6, 41.2, Note: "quick scale")])),
            ("MaskAblationExplorer.Build(images[0])", MaskAblationExplorer.Build(images[0])),
            ("SegmentationOverlay.Of(images[0], truth, prediction, classes)", SegmentationOverlay.Of(images[0], images[0][0].gt(0.5).to(ScalarType.Int64),
                images[0][1].gt(0.5).to(ScalarType.Int64), ["dark", "bright"])),
        };
        var notebook = Notebook.Create();
        notebook.InsertMarkdownCell(0, "# Views tour\n\nEvery **view** of `Folk.Lab.Interactive`, as a report.");
        for (int i = 0; i < values.Length; i++)
        {
            var cell = notebook.InsertCodeCell(i + 1, values[i].Source);
            var output = new JsonObject
            {
                ["output_type"] = "execute_result", ["execution_count"] = i + 1,
                ["data"] = DisplayFormatting.BundleFor(values[i].Value).ToJson(), ["metadata"] = new JsonObject(),
            };
            cell.SetOutputs([output], i + 1);
        }
        var stream = notebook.InsertCodeCell(values.Length + 1, "Console.WriteLine(\"done\")");
        stream.SetOutputs([new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "done\n" }], values.Length + 1);
        return notebook;
    }
}
