using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// Resolves <c>#r</c> and the scripting defaults once per path and hands out the same reference afterwards. Roslyn's
/// own resolver reads the file again for every cell, and each fresh reference makes the cell's compilation load that
/// assembly's metadata and symbols anew (megabytes per cell, never freed): with this cache a cell costs kilobytes.
/// </summary>
public sealed class CachingMetadataResolver(ScriptMetadataResolver inner) : MetadataReferenceResolver
{
    readonly ConcurrentDictionary<(string Reference, string? BaseFilePath, MetadataReferenceProperties Properties), ImmutableArray<PortableExecutableReference>> _resolved = new();
    readonly ConcurrentDictionary<string, PortableExecutableReference?> _missing = new();

    /// <inheritdoc/>
    public override bool ResolveMissingAssemblies => inner.ResolveMissingAssemblies;

    /// <inheritdoc/>
    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
        _resolved.GetOrAdd((reference, baseFilePath, properties), key => inner.ResolveReference(key.Reference, key.BaseFilePath, key.Properties));

    /// <inheritdoc/>
    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity) =>
        _missing.GetOrAdd(referenceIdentity.GetDisplayName(), _ => inner.ResolveMissingAssembly(definition, referenceIdentity));

    /// <inheritdoc/>
    public override bool Equals(object? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}
