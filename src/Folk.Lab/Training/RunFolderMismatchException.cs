namespace Folk.Lab.Training;

/// <summary>A run folder already holds a run with other settings: resuming it would mix two experiments.</summary>
public sealed class RunFolderMismatchException(string message) : Exception(message);
