using Folk.Lab.Kernel.Notebooks;

namespace Folk.Lab.Kernel.Export;

/// <summary>Turns an executed notebook into a report file (the hook <c>folk-lab notebook run --html</c> calls).</summary>
public interface INotebookExporter
{
    /// <summary>The report's file extension, e.g. ".html".</summary>
    string Extension { get; }

    /// <summary>Writes <paramref name="notebook"/> to <paramref name="path"/>.</summary>
    void Export(Notebook notebook, string path);
}
