namespace Folk.Lab.Kernel.Tests.Support;

/// <summary>
/// Tests that run cells in this process, one class at a time. The engines keep concurrent cells' console streams apart
/// (<c>ConcurrentCellsTests</c> proves it), but a test that replaces <see cref="Console.Out"/> itself, as one does, would
/// catch another class's writes in the moment between its cells.
/// </summary>
[CollectionDefinition(Name)]
public sealed class InProcessCellsCollection
{
    public const string Name = "cells in this process";
}
