namespace Folk.Lab.Kernel.Execution;

/// <summary>A cell's directives ask for what cannot be done: a malformed <c>#!share</c>, or a language this kernel
/// does not run. The message says what and how to write it instead.</summary>
public sealed class CellDirectiveException(string message) : Exception(message);
