using Ferry.Cli;

return await FerryCommand.RunAsync(args, Console.Out, Console.Error);
