using Folk.Lab.Cli;

return FolkLabCommand.Run(args, Console.Out, Console.Error);
