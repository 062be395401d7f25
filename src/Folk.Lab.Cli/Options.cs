using System.CommandLine;
using System.Globalization;

namespace Folk.Lab.Cli;

/// <summary>Option builders whose validation errors name the option, the value received and what is allowed.</summary>
internal static class Options
{
    public static Option<string> Choice(string name, string description, string? defaultValue, params string[] allowed)
    {
        var option = new Option<string>(name) { Description = $"{description} ({string.Join("|", allowed)})", Required = defaultValue is null };
        if (defaultValue is not null) option.DefaultValueFactory = _ => defaultValue;
        option.Validators.Add(result =>
        {
            if (!TryGet(result, out string? value)) return;
            if (value is not null && !allowed.Contains(value))
                result.AddError($"{name} '{value}' is not allowed; use one of: {string.Join(", ", allowed)}.");
        });
        return option;
    }

    public static Option<double> Number(string name, string description, double? defaultValue, double min, bool minExclusive, double max = double.PositiveInfinity, bool maxExclusive = false)
    {
        var option = new Option<double>(name) { Description = description, Required = defaultValue is null };
        if (defaultValue is { } d) option.DefaultValueFactory = _ => d;
        option.Validators.Add(result =>
        {
            if (!TryGet(result, out double value)) return;
            bool ok = (minExclusive ? value > min : value >= min) && (maxExclusive ? value < max : value <= max);
            if (!ok) result.AddError($"{name} {value.ToString(CultureInfo.InvariantCulture)} is out of range; it must be {Range(min, minExclusive, max, maxExclusive)}.");
        });
        return option;
    }

    public static Option<int> Integer(string name, string description, int? defaultValue, int min, int max = int.MaxValue)
    {
        var option = new Option<int>(name) { Description = description, Required = defaultValue is null };
        if (defaultValue is { } d) option.DefaultValueFactory = _ => d;
        option.Validators.Add(result =>
        {
            if (!TryGet(result, out int value)) return;
            if (value < min || value > max)
                result.AddError($"{name} {value} is out of range; it must be {(max == int.MaxValue ? $">= {min}" : $"between {min} and {max}")}.");
        });
        return option;
    }

    public static Option<FileInfo> InputFile(string name, string description, bool required = true)
    {
        var option = new Option<FileInfo>(name) { Description = description, Required = required };
        option.Validators.Add(result =>
        {
            if (!TryGet(result, out FileInfo? file)) return;
            if (file is not null && !file.Exists) result.AddError($"{name} '{file}' does not exist.");
        });
        return option;
    }

    public static Option<FileInfo> OutputFile(string name, string description) =>
        new(name) { Description = description, Required = true };

    /// <summary>The option's value, or false when it failed to convert (System.CommandLine reports that error).</summary>
    static bool TryGet<T>(System.CommandLine.Parsing.OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    static string Range(double min, bool minExclusive, double max, bool maxExclusive)
    {
        string lo = $"{(minExclusive ? ">" : ">=")} {min.ToString(CultureInfo.InvariantCulture)}";
        return double.IsPositiveInfinity(max) ? lo : $"{lo} and {(maxExclusive ? "<" : "<=")} {max.ToString(CultureInfo.InvariantCulture)}";
    }
}
