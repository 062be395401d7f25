namespace Folk.Lab.Data.Manifests;

/// <summary>How a data set's files are laid out, and so which Folk.Lab reader reads it.</summary>
public enum ManifestLayout
{
    /// <summary>"image-folder": <c>split/&lt;class&gt;/&lt;image&gt;</c> (<see cref="Readers.ImageFolderDataset"/>).</summary>
    ImageFolder,

    /// <summary>"image-list": a text file naming, one per line, images of an image-folder tree (label subsets).</summary>
    ImageList,

    /// <summary>"cifar-10-binary": <see cref="Readers.CifarDataset"/> with <see cref="Readers.CifarVariant.Cifar10"/>.</summary>
    Cifar10Binary,

    /// <summary>"cifar-100-binary": <see cref="Readers.CifarDataset"/> with <see cref="Readers.CifarVariant.Cifar100"/>.</summary>
    Cifar100Binary,

    /// <summary>"stl-10-binary": <see cref="Readers.Stl10Dataset"/>.</summary>
    Stl10Binary,

    /// <summary>"fashion-mnist-idx": the four IDX files of Fashion-MNIST, gzip-compressed or plain
    /// (<see cref="Readers.FashionMnistDataset"/>).</summary>
    FashionMnistIdx,

    /// <summary>"ade20k": ADEChallengeData2016, <c>images/{training,validation}/*.jpg</c> with one
    /// <c>annotations/…/*.png</c> class map per image.</summary>
    Ade20k,
}

/// <summary>
/// What a real data set looks like on disk, so that a local copy can be checked before a long run: where it comes
/// from, how it is laid out, and per split the folder, the number of images and classes, and the files with their
/// exact sizes and (when known for certain) SHA-256. One JSON file per data set in <c>data-manifests/</c>, read by
/// <see cref="ManifestReader"/>, checked by <see cref="ManifestVerifier"/>.
/// </summary>
/// <param name="Name">Short name, e.g. "cifar-10".</param>
/// <param name="Description">One or two sentences on what it is.</param>
/// <param name="Source">Where to obtain it (URL and archive names, as text: nothing is downloaded).</param>
/// <param name="Layout">How the files are laid out.</param>
/// <param name="Classes">Number of classes, or null when it does not apply.</param>
/// <param name="Splits">The parts checked, each a folder under the data set's root.</param>
/// <param name="Notes">Anything else the user must know (how to prepare a folder, why a checksum is missing).</param>
/// <param name="DefaultRoot">Where the data set is when the user names no root (an absolute path, e.g. the folder a
/// Debian package installs it in), or null when there is no such place.</param>
/// <param name="LabelSpace">For a test set whose classes are a subset of a training set's (ImageNet-A and -R cover 200
/// of ImageNet-1k's 1,000): which of the training set's classes they are; null when the classes are the training set's own.</param>
public sealed record DatasetManifest(
    string Name, string Description, string Source, ManifestLayout Layout, int? Classes,
    IReadOnlyList<ManifestSplit> Splits, IReadOnlyList<string> Notes, string? DefaultRoot = null,
    ManifestLabelSpace? LabelSpace = null);

/// <summary>
/// A data set whose classes are some of another's: its class <c>k</c> (the k-th class folder in sorted order) is class
/// <c>Indices[k]</c> of <see cref="Of"/>. A classifier trained on <see cref="Of"/> is scored on it by keeping only
/// those columns of its logits, as ImageNet-A's and ImageNet-R's own evaluations do (hendrycks/natural-adv-examples
/// <c>eval.py</c>, <c>indices_in_1k</c>; hendrycks/imagenet-r <c>eval.py</c>, <c>imagenet_r_mask</c>).
/// </summary>
/// <param name="Of">The name of the data set whose classes these are, e.g. "imagenet-1k".</param>
/// <param name="OfClasses">How many classes that data set has (the classifier's outputs).</param>
/// <param name="Indices">One per class of this data set, strictly increasing, each in [0, <paramref name="OfClasses"/>).</param>
public sealed record ManifestLabelSpace(string Of, int OfClasses, IReadOnlyList<int> Indices);

/// <summary>One part of a data set, checked in the folder <see cref="Path"/> under the root.</summary>
/// <param name="Name">Split name, e.g. "train".</param>
/// <param name="Path">Folder relative to the root ("" for the root itself), '/'-separated.</param>
/// <param name="Images">Number of images. Verified by listing and decoding every image under the folder when the
/// split lists no <see cref="Files"/>; descriptive for binary files, whose exact sizes pin the count down.</param>
/// <param name="ClassFolders">Number of class sub-folders, verified for image folders; null when images lie directly
/// in the folder.</param>
/// <param name="Files">Files checked one by one: present, of the exact size, with the SHA-256 when given.</param>
/// <param name="Exclusive">True when any other file directly in the folder is reported as extra.</param>
/// <param name="List">For image lists: the list file and where its images are.</param>
public sealed record ManifestSplit(
    string Name, string Path, long? Images, int? ClassFolders, IReadOnlyList<ManifestFile> Files, bool Exclusive,
    ManifestList? List);

/// <summary>A file of a split.</summary>
/// <param name="Path">Path relative to the split's folder, '/'-separated.</param>
/// <param name="Bytes">Exact size in bytes, or null when not known for certain.</param>
/// <param name="Sha256">SHA-256 as 64 lower-case hex digits, or null when not known for certain.</param>
/// <param name="Optional">True when its absence is no problem (read-me files, class-name files).</param>
public sealed record ManifestFile(string Path, long? Bytes, string? Sha256, bool Optional);

/// <summary>A list of image file names, one per line, each inside the class folder named by its prefix before '_'
/// (ImageNet style: <c>n01440764_10026.JPEG</c> lives in <c>n01440764/</c>).</summary>
/// <param name="File">The list file, relative to the split's folder.</param>
/// <param name="Entries">Number of non-empty lines it must have.</param>
/// <param name="ImagesUnder">The image-folder tree, relative to the root, holding the class folders.</param>
public sealed record ManifestList(string File, long Entries, string ImagesUnder);
