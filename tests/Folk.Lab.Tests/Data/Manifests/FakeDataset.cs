using System.Security.Cryptography;

namespace Folk.Lab.Tests.Data.Manifests;

/// <summary>
/// A small data set in a temporary folder and its manifest: an image folder (train/, two classes, four PNGs), a
/// folder of listed files (meta/: a binary file with exact size and SHA-256, an optional read-me) and an image list.
/// </summary>
public sealed class FakeDataset : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("folk-lab-manifest-").FullName;

    public string ManifestPath => Path.Combine(Root, "..", Path.GetFileName(Root) + ".json");

    public string P(string relative) => Path.Combine(Root, relative);

    public FakeDataset()
    {
        foreach (var (name, seed) in new[] { ("train/cat/cat_1.png", 1), ("train/cat/cat_2.png", 2), ("train/dog/dog_1.png", 3), ("train/dog/dog_2.png", 4) })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(P(name))!);
            File.WriteAllBytes(P(name), EncodedImages.Png(EncodedImages.Pattern(6, 8, seed), 6, 8));
        }
        Directory.CreateDirectory(P("meta"));
        var blob = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(P("meta/blob.bin"), blob);
        File.WriteAllText(P("meta/list.txt"), "cat_2.png\ndog_1.png\n");
        File.WriteAllText(ManifestPath, $$"""
            {
              "name": "toy", "description": "A test data set.", "source": "made by the test", "layout": "image-folder", "classes": 2,
              "splits": [
                { "name": "train", "path": "train", "images": 4, "class_folders": 2 },
                { "name": "meta", "path": "meta", "files": [
                    { "path": "blob.bin", "bytes": 3000, "sha256": "{{Convert.ToHexStringLower(SHA256.HashData(blob))}}" },
                    { "path": "list.txt", "bytes": null, "sha256": null },
                    { "path": "readme.txt", "bytes": null, "sha256": null, "optional": true } ] },
                { "name": "subset", "path": "meta", "exclusive": false,
                  "list": { "file": "list.txt", "entries": 2, "images_under": "train" } }
              ],
              "notes": [ "none" ]
            }
            """);
    }

    public void Dispose()
    {
        Directory.Delete(Root, recursive: true);
        File.Delete(ManifestPath);
    }
}
