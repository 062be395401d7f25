using System.Text.Json;

namespace Folk.Lab.Data.Manifests;

/// <summary>
/// Reads a <see cref="DatasetManifest"/> from JSON. Field names are snake_case; unknown fields are refused, so a typo
/// cannot silently switch a check off. Every error is an <see cref="InvalidDataException"/> whose one-line message
/// names the file and the field (<c>splits[0].files[2].bytes</c>), what was found and what is allowed.
/// </summary>
/// <remarks>
/// Top level: <c>name</c>, <c>description</c>, <c>source</c>, <c>layout</c> (image-folder, image-list,
/// cifar-10-binary, cifar-100-binary, stl-10-binary, fashion-mnist-idx, ade20k), <c>classes</c> (integer or null),
/// <c>splits</c> (non-empty array), <c>notes</c> (optional array of strings), <c>default_root</c> (optional absolute
/// path: where the data set is when no root is given, e.g. the folder a Debian package installs it in), <c>label_space</c>
/// (optional: <c>of</c>, <c>of_classes</c>, <c>indices</c>, one strictly increasing index per class). A split: <c>name</c>, <c>path</c>, and optionally
/// <c>images</c>, <c>class_folders</c>, <c>files</c>, <c>exclusive</c> (default true), <c>list</c>. A file:
/// <c>path</c>, <c>bytes</c> (integer or null), <c>sha256</c> (64 hex digits or null), <c>optional</c> (default
/// false). A list: <c>file</c>, <c>entries</c>, <c>images_under</c>. Paths are relative, '/'-separated, without "..".
/// </remarks>
public static class ManifestReader
{
    static readonly (string Json, ManifestLayout Layout)[] Layouts =
    {
        ("image-folder", ManifestLayout.ImageFolder), ("image-list", ManifestLayout.ImageList),
        ("cifar-10-binary", ManifestLayout.Cifar10Binary), ("cifar-100-binary", ManifestLayout.Cifar100Binary),
        ("stl-10-binary", ManifestLayout.Stl10Binary), ("fashion-mnist-idx", ManifestLayout.FashionMnistIdx),
        ("ade20k", ManifestLayout.Ade20k),
    };

    /// <summary>Reads and checks the manifest file at <paramref name="path"/>.</summary>
    public static DatasetManifest Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{path}: no such manifest file.", path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: the manifest cannot be read ({e.Message})", e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses manifest JSON; <paramref name="source"/> names it in error messages.</summary>
    public static DatasetManifest Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstSentence(e.Message)}");
        }
        using (document)
        {
            var r = new Fields(source, document.RootElement, "the top level");
            r.Only("name", "description", "source", "layout", "classes", "splits", "notes", "default_root", "label_space");
            string layoutText = r.String("layout");
            var layout = Layouts.FirstOrDefault(l => l.Json == layoutText);
            if (layout.Json is null)
                throw r.Error("layout", $"'{layoutText}' is not a known layout; use one of: {string.Join(", ", Layouts.Select(l => l.Json))}");
            var splits = r.Array("splits", required: true).Select((e, i) => Split(new Fields(source, e, $"splits[{i}]"))).ToArray();
            if (splits.Length == 0) throw r.Error("splits", "must hold at least one split");
            string? defaultRoot = r.NullableString("default_root");
            if (defaultRoot is not null && !Path.IsPathFullyQualified(defaultRoot))
                throw r.Error("default_root", $"\"{defaultRoot}\" must be an absolute path (it is used when no root is given)");
            var classes = (int?)r.Integer("classes", required: true, nullable: true, max: int.MaxValue, min: 1);
            return new DatasetManifest(
                r.String("name"), r.String("description"), r.String("source"), layout.Layout, classes,
                splits, r.Array("notes", required: false).Select((e, i) => Fields.StringValue(source, e, $"notes[{i}]")).ToArray(),
                defaultRoot, r.Object("label_space") is { } space ? LabelSpace(r.Child(space, "label_space"), classes) : null);
        }
    }

    static ManifestLabelSpace LabelSpace(Fields f, int? classes)
    {
        f.Only("of", "of_classes", "indices");
        int ofClasses = (int)f.Integer("of_classes", required: true, nullable: false, max: int.MaxValue, min: 1)!.Value;
        var indices = f.Integers("indices");
        if (classes is null || indices.Count != classes)
            throw f.Error("indices", $"must hold one index per class ({classes?.ToString() ?? "'classes' is null"}); got {indices.Count}");
        for (int i = 0; i < indices.Count; i++)
            if (indices[i] >= ofClasses || (i > 0 && indices[i] <= indices[i - 1]))
                throw f.Error("indices", $"must increase strictly within [0, {ofClasses}); entry {i} is {indices[i]}");
        return new ManifestLabelSpace(f.String("of"), ofClasses, indices);
    }

    static ManifestSplit Split(Fields s)
    {
        s.Only("name", "path", "images", "class_folders", "files", "exclusive", "list");
        var files = s.Array("files", required: false).Select((e, i) => FileEntry(s.Child(e, $"files[{i}]"))).ToArray();
        ManifestList? list = null;
        if (s.Object("list") is { } l)
        {
            var f = s.Child(l, "list");
            f.Only("file", "entries", "images_under");
            list = new ManifestList(f.RelativePath("file", allowEmpty: false), f.Integer("entries", required: true, nullable: false)!.Value,
                f.RelativePath("images_under", allowEmpty: true));
        }
        long? images = s.Integer("images", required: false, nullable: true);
        if (files.Length == 0 && images is null && list is null)
            throw s.Invalid("must give 'files', 'images' or 'list' (something to check)");
        return new ManifestSplit(s.String("name"), s.RelativePath("path", allowEmpty: true), images,
            (int?)s.Integer("class_folders", required: false, nullable: true, max: int.MaxValue, min: 1), files,
            s.Boolean("exclusive") ?? true, list);
    }

    static ManifestFile FileEntry(Fields f)
    {
        f.Only("path", "bytes", "sha256", "optional");
        string? sha = f.NullableString("sha256");
        if (sha is not null && (sha.Length != 64 || !sha.All(char.IsAsciiHexDigit)))
            throw f.Error("sha256", $"\"{sha}\" is not a SHA-256 (64 hex digits); use null when the checksum is not known for certain");
        return new ManifestFile(f.RelativePath("path", allowEmpty: false), f.Integer("bytes", required: false, nullable: true),
            sha?.ToLowerInvariant(), f.Boolean("optional") ?? false);
    }

    static string FirstSentence(string message) => message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].Trim();

    /// <summary>The fields of one JSON object, with errors that name the object's place in the file.</summary>
    sealed class Fields(string source, JsonElement element, string where)
    {
        readonly JsonElement _e = element.ValueKind == JsonValueKind.Object
            ? element
            : throw new InvalidDataException($"{source}: {where} must be a JSON object; got {Describe(element)}.");

        public Fields Child(JsonElement e, string name) => new(source, e, Name(name));

        string Name(string field) => where == "the top level" ? field : $"{where}.{field}";

        public InvalidDataException Error(string field, string what) => new($"{source}: field '{Name(field)}' {what}.");

        public InvalidDataException Invalid(string what) => new($"{source}: {where} {what}.");

        public void Only(params string[] known)
        {
            foreach (var p in _e.EnumerateObject())
                if (!known.Contains(p.Name))
                    throw Error(p.Name, $"is not a known field here; known: {string.Join(", ", known)}");
        }

        JsonElement? Get(string field, bool required)
        {
            if (_e.TryGetProperty(field, out var v)) return v;
            if (required) throw Error(field, "is missing");
            return null;
        }

        public string String(string field) => NullableString(field, required: true)
            ?? throw Error(field, "must be a string; got null");

        public string? NullableString(string field, bool required = false)
        {
            if (Get(field, required) is not { } v || v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Error(field, $"must be a string; got {Describe(v)}");
        }

        public static string StringValue(string source, JsonElement e, string where) => e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : throw new InvalidDataException($"{source}: field '{where}' must be a string; got {Describe(e)}.");

        public long? Integer(string field, bool required, bool nullable, long max = long.MaxValue, long min = 0)
        {
            if (Get(field, required) is not { } v) return null;
            if (v.ValueKind == JsonValueKind.Null && nullable) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n) || n < min || n > max)
                throw Error(field, $"must be an integer >= {min}{(nullable ? " or null" : "")}; got {Describe(v)}");
            return n;
        }

        public bool? Boolean(string field)
        {
            if (Get(field, required: false) is not { } v) return null;
            return v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Error(field, $"must be true or false; got {Describe(v)}"),
            };
        }

        public IEnumerable<JsonElement> Array(string field, bool required)
        {
            if (Get(field, required) is not { } v) return System.Array.Empty<JsonElement>();
            if (v.ValueKind != JsonValueKind.Array) throw Error(field, $"must be an array; got {Describe(v)}");
            return v.EnumerateArray().ToArray();
        }

        public IReadOnlyList<int> Integers(string field)
        {
            var values = new List<int>();
            foreach (var v in Array(field, required: true))
            {
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int n) || n < 0)
                    throw Error(field, $"must hold non-negative integers; entry {values.Count} is {Describe(v)}");
                values.Add(n);
            }
            return values;
        }

        public JsonElement? Object(string field)
        {
            if (Get(field, required: false) is not { } v || v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind == JsonValueKind.Object ? v : throw Error(field, $"must be an object; got {Describe(v)}");
        }

        public string RelativePath(string field, bool allowEmpty)
        {
            string path = String(field);
            if (path.Length == 0 && !allowEmpty) throw Error(field, "must not be empty");
            if (path.StartsWith('/') || path.Contains('\\') || path.Split('/').Any(p => p == ".."))
                throw Error(field, $"\"{path}\" must be a relative '/'-separated path without '..'");
            return path;
        }

        static string Describe(JsonElement v) => v.ValueKind switch
        {
            JsonValueKind.String => $"\"{v.GetString()}\"",
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.Null => "null",
            JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            JsonValueKind.Array => "an array",
            _ => "an object",
        };
    }
}
