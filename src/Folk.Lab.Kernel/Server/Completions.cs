using Folk.Lab.Kernel.Execution;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.Tags;
using Microsoft.CodeAnalysis.Text;

namespace Folk.Lab.Kernel.Server;

/// <summary>
/// Roslyn's completion and symbol lookup over "the script so far": the session's compiled cells followed by the cell
/// being edited, as one submission document with the same references, imports and globals as the running cells.
/// </summary>
public sealed class Completions(CSharpSession session)
{
    static readonly Lazy<MefHostServices> Host = new(() => MefHostServices.Create(MefHostServices.DefaultAssemblies));
    static readonly Lazy<IReadOnlyList<MetadataReference>> Platform = new(PlatformReferences);

    /// <summary>The completion texts for the cursor, and the span of the cell they replace.</summary>
    public (IReadOnlyList<string> Items, int Start, int End) At(string code, int cursor)
    {
        var (document, offset) = Document(code);
        var service = CompletionService.GetService(document);
        if (service is null) return ([], cursor, cursor);
        var list = service.GetCompletionsAsync(document, offset + cursor).GetAwaiter().GetResult();
        var span = list.Span;
        var typed = span.End <= offset + cursor ? code[(span.Start - offset)..cursor] : "";
        // Jupyter inserts a match as it is: the display suffixes ("AddRange<>", "this[]") and the snippets ("for" after
        // "data.", which Roslyn expands into a loop) would insert text that does not compile.
        var items = list.ItemsList
            .Where(i => i.FilterText.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Where(i => !i.Tags.Contains(WellKnownTags.Snippet) && i.DisplayTextSuffix is "" or "<>"
                        && SyntaxFacts.IsValidIdentifier(i.DisplayText.TrimStart('@')))
            .OrderBy(i => i.SortText, StringComparer.Ordinal)
            .Select(i => i.DisplayText)
            .Distinct()
            .ToList();
        return (items, span.Start - offset, cursor);
    }

    /// <summary>The signature and summary of the symbol at (or just before) the cursor, or null.</summary>
    public string? Describe(string code, int cursor)
    {
        var (document, offset) = Document(code);
        var model = document.GetSemanticModelAsync().GetAwaiter().GetResult();
        var root = document.GetSyntaxRootAsync().GetAwaiter().GetResult();
        if (model is null || root is null) return null;
        foreach (var position in new[] { offset + cursor, offset + cursor - 1 })
        {
            if (position < offset || position >= root.FullSpan.End) continue;
            var token = root.FindToken(position);
            for (var node = token.Parent; node is not null; node = node.Parent)
            {
                var info = model.GetSymbolInfo(node);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault() ?? model.GetDeclaredSymbol(node);
                if (symbol is null) continue;
                // a method group without a call ("Console.WriteLine"): every overload, not the first candidate
                var overloads = info.Symbol is null && symbol is IMethodSymbol
                    ? info.CandidateSymbols.Concat(model.GetMemberGroup(node)).OfType<IMethodSymbol>().Distinct<ISymbol>(SymbolEqualityComparer.Default).ToList()
                    : [symbol];
                var text = string.Join('\n', overloads.Select(Signature));
                var summary = Summary(symbol.GetDocumentationCommentXml());
                return summary is null ? text : $"{text}\n\n{summary}";
            }
        }
        return null;
    }

    (Document Document, int Offset) Document(string code)
    {
        var prefix = string.Concat(session.Submitted.Select(c => c + "\n;\n"));
        var workspace = new AdhocWorkspace(Host.Value);
        var references = Platform.Value.Concat(session.Options.MetadataReferences.OfType<PortableExecutableReference>()
            .Where(r => r.FilePath is not null && !Platform.Value.Any(p => ((PortableExecutableReference)p).FilePath == r.FilePath)));
        var project = ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Create(), "cells", "cells", LanguageNames.CSharp,
            isSubmission: true, hostObjectType: typeof(CellContext),
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, usings: CSharpSession.DefaultImports),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script),
            metadataReferences: references);
        var solution = workspace.CurrentSolution.AddProject(project);
        var documentId = DocumentId.CreateNewId(project.Id);
        solution = solution.AddDocument(DocumentInfo.Create(documentId, "cell.csx", sourceCodeKind: SourceCodeKind.Script,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(prefix + CellDirectives.Parse(code).Code), VersionStamp.Create()))));
        return (solution.GetDocument(documentId)!, prefix.Length);
    }

    /// <summary>A method's signature, a variable's type and name ("List&lt;int&gt; data"), a type's full name.</summary>
    static string Signature(ISymbol symbol)
    {
        var type = symbol switch
        {
            ILocalSymbol l => l.Type, IFieldSymbol f => f.Type, IPropertySymbol p => p.Type, IParameterSymbol p => p.Type, _ => null,
        };
        var text = symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        return type is null ? text : $"{type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)} {text}";
    }

    static string? Summary(string? xml)
    {
        if (string.IsNullOrWhiteSpace(xml)) return null;
        try
        {
            var summary = System.Xml.Linq.XElement.Parse(xml).Element("summary")?.Value;
            return summary is null ? null : string.Join(' ', summary.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }
        catch (System.Xml.XmlException) { return null; }
    }

    static IReadOnlyList<MetadataReference> PlatformReferences() =>
        ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p,
                documentation: File.Exists(Path.ChangeExtension(p, ".xml")) ? XmlDocumentationProvider.CreateFromFile(Path.ChangeExtension(p, ".xml")) : null))
            .ToList();
}
