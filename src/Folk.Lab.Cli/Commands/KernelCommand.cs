using System.CommandLine;
using Folk.Lab.Kernel.Install;
using Folk.Lab.Kernel.Protocol;
using Folk.Lab.Kernel.Server;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab kernel --connection-file F</c>: the Jupyter kernel for C# (started by Jupyter through kernel.json);
/// <c>folk-lab kernel install|uninstall</c>: its kernelspec.
/// </summary>
internal static class KernelCommand
{
    public static Command Create(CliConsole console)
    {
        var connection = new Option<FileInfo>("--connection-file", "-f") { Description = "The connection file Jupyter wrote (kernel.json passes {connection_file})" };
        var command = new Command("kernel", "The Jupyter kernel for C# notebooks (started by Jupyter), and its install/uninstall.")
        {
            connection, Install(console), Uninstall(console),
        };
        command.SetAction(p =>
        {
            var file = p.GetValue(connection)
                ?? throw new ArgumentException("--connection-file is required (Jupyter passes it; to set the kernel up run 'folk-lab kernel install').");
            var server = new KernelServer(ConnectionFile.Load(file.FullName), console.Error);
            return server.Run(Environment.CurrentDirectory);
        });
        return command;
    }

    sealed record Location(Option<bool> User, Option<bool> SysPrefix, Option<DirectoryInfo> Prefix, Option<string> Name);

    static Location Locations(Command command)
    {
        var location = new Location(
            new Option<bool>("--user") { Description = "Install for the current user (the default): ~/.local/share/jupyter/kernels" },
            new Option<bool>("--sys-prefix") { Description = "Install into the Python environment of 'python3' on PATH (sys.prefix/share/jupyter/kernels)" },
            new Option<DirectoryInfo>("--prefix") { Description = "Install into PREFIX/share/jupyter/kernels (add PREFIX/share/jupyter to JUPYTER_PATH)" },
            new Option<string>("--name") { Description = "Kernel name", DefaultValueFactory = _ => KernelSpec.DefaultName });
        command.Options.Add(location.User);
        command.Options.Add(location.SysPrefix);
        command.Options.Add(location.Prefix);
        command.Options.Add(location.Name);
        return location;
    }

    static string DataFolder(ParseResult p, Location location)
    {
        int chosen = (p.GetValue(location.User) ? 1 : 0) + (p.GetValue(location.SysPrefix) ? 1 : 0) + (p.GetValue(location.Prefix) is null ? 0 : 1);
        if (chosen > 1) throw new ArgumentException("choose one of --user, --sys-prefix and --prefix.");
        if (p.GetValue(location.Prefix) is { } prefix) return KernelSpec.PrefixDataFolder(prefix.FullName);
        if (p.GetValue(location.SysPrefix)) return KernelSpec.PrefixDataFolder(PythonSysPrefix());
        return KernelSpec.UserDataFolder();
    }

    static Command Install(CliConsole console)
    {
        var command = new Command("install", "Write the kernelspec (kernel.json, logo) so Jupyter lists \"C# (Folk.Lab)\".");
        var location = Locations(command);
        var dotnet = new Option<bool>("--as-dotnet-interactive") { Description = "Also register it as '.net-csharp' (papermill and .NET Interactive notebooks)" };
        command.Options.Add(dotnet);
        command.SetAction(p =>
        {
            var data = DataFolder(p, location);
            var launcher = KernelSpec.LauncherArgv();
            var folder = KernelSpec.Install(data, p.GetValue(location.Name)!, "C# (Folk.Lab)", launcher);
            console.Out.WriteLine($"installed kernelspec '{p.GetValue(location.Name)}' in {folder}");
            if (p.GetValue(dotnet))
            {
                folder = KernelSpec.Install(data, KernelSpec.DotnetInteractiveName, "C# (Folk.Lab, .net-csharp)", launcher);
                console.Out.WriteLine($"installed kernelspec '{KernelSpec.DotnetInteractiveName}' in {folder}");
            }
            console.Out.WriteLine($"it starts: {string.Join(' ', launcher)} kernel --connection-file {{connection_file}}");
            return 0;
        });
        return command;
    }

    static Command Uninstall(CliConsole console)
    {
        var command = new Command("uninstall", "Remove the kernelspec, and the '.net-csharp' one when it starts this kernel.");
        var location = Locations(command);
        var dotnet = new Option<bool>("--as-dotnet-interactive") { Description = "Also remove '.net-csharp' when it is another tool's" };
        command.Options.Add(dotnet);
        command.SetAction(p =>
        {
            var data = DataFolder(p, location);
            var names = new List<string> { p.GetValue(location.Name)! };
            // the '.net-csharp' alias written by 'install --as-dotnet-interactive' would otherwise outlive the kernel
            if (p.GetValue(dotnet) || KernelSpec.IsOurs(data, KernelSpec.DotnetInteractiveName)) names.Add(KernelSpec.DotnetInteractiveName);
            foreach (var name in names)
                console.Out.WriteLine(KernelSpec.Uninstall(data, name)
                    ? $"removed kernelspec '{name}' from {KernelSpec.KernelsFolder(data)}"
                    : $"no kernelspec '{name}' in {KernelSpec.KernelsFolder(data)}");
            return 0;
        });
        return command;
    }

    static string PythonSysPrefix()
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("python3", ["-c", "import sys; print(sys.prefix)"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            var prefix = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            if (process.ExitCode == 0 && prefix.Length > 0) return prefix;
        }
        catch (System.ComponentModel.Win32Exception) { }
        throw new ArgumentException("--sys-prefix needs 'python3' on PATH to find sys.prefix; use --prefix DIR or --user instead.");
    }
}
