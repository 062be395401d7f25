namespace Folk.Lab.Kernel.Tests.Support;

/// <summary>
/// Tests that run cells in this process: console capture is process-wide (the kernel runs one cell at a time), so two
/// such classes running at once would read each other's output.
/// </summary>
[CollectionDefinition(Name)]
public sealed class InProcessCellsCollection
{
    public const string Name = "cells in this process";
}
