using Folk.Lab.Kernel.Notebooks;

namespace Folk.Lab.Notebooks.Tests;

/// <summary>
/// The test session's reproduction of the series at quick scale: one output folder and one run cache, both fresh (a
/// cache left by an earlier build could hold runs of older code), shared by every notebook test, deleted at the end
/// unless FOLK_LAB_KEEP_REPRODUCTION=1.
/// </summary>
public sealed class QuickSeries : IDisposable
{
    readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Where the executed notebooks, their pages, index.html and run-cache/ go.</summary>
    public string Output { get; } = Directory.CreateTempSubdirectory("folk-lab-reproduction-").FullName;

    /// <summary>Runs the notebooks numbered <paramref name="only"/> (all when none), or finds them up to date.</summary>
    public async Task<NotebookReport> RunAsync(string number) => (await RunAsync(new[] { number })).Notebooks.Single();

    /// <inheritdoc cref="RunAsync(string)"/>
    public async Task<ReproductionReport> RunAsync(IReadOnlyCollection<string>? only)
    {
        await _one.WaitAsync();
        try { return await SeriesReproduction.RunAsync(NotebookTests.Folder, new ReproductionOptions { Output = Output, Only = only }); }
        finally { _one.Release(); }
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("FOLK_LAB_KEEP_REPRODUCTION") != "1") Directory.Delete(Output, recursive: true);
        _one.Dispose();
    }
}

[CollectionDefinition(nameof(QuickSeriesCollection))]
public sealed class QuickSeriesCollection : ICollectionFixture<QuickSeries>;
