namespace Folk.Lab.Training;

/// <summary>
/// What the trainer tells the outside world: the console's progress bar, the notebook's live charts. Every member has
/// a do-nothing default, so an implementation overrides only what it shows.
/// </summary>
public interface ITrainingCallbacks
{
    /// <summary>A logged iteration.</summary>
    void OnStep(StepReport report) { }

    /// <summary>An epoch finished.</summary>
    void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> meanTerms) { }

    /// <summary>A checkpoint was written.</summary>
    void OnCheckpoint(string path, long step) { }

    /// <summary>Something the user should know (a corrupt checkpoint skipped, images skipped, a resume).</summary>
    void OnMessage(string message) { }
}
