using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Emu.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Emu.Generators.Markers;

/// <summary>Turns the syntax of a member carrying <c>[Upstream]</c> into <see cref="MarkerModel"/>s.</summary>
internal static class MarkerParser
{
    public const string AttributeName = "Emu.Kernel.UpstreamAttribute";

    public static EquatableArray<MarkerModel> Parse(GeneratorAttributeSyntaxContext context, CancellationToken ct)
    {
        var list = new List<MarkerModel>();
        var node = context.TargetNode;
        var symbol = context.TargetSymbol;
        var member = symbol.ContainingType is { } type ? $"{type.Name}.{symbol.Name}" : symbol.Name;
        bool stub = IsStub(node, ct);
        foreach (var attribute in context.Attributes)
        {
            ct.ThrowIfCancellationRequested();
            var args = attribute.ConstructorArguments;
            if (args.Length != 3 || args.Any(a => a.Value is not string))
                continue;
            int definition = 1;
            foreach (var named in attribute.NamedArguments)
                if (named.Key == "Definition" && named.Value.Value is int d)
                    definition = d;
            var syntax = attribute.ApplicationSyntaxReference;
            var span = syntax?.SyntaxTree.GetLineSpan(syntax.Span, ct) ?? node.GetLocation().GetLineSpan();
            list.Add(new MarkerModel(
                (string)args[0].Value!, (string)args[1].Value!, (string)args[2].Value!, definition, stub,
                member, span.Path.Replace('\\', '/'), span.StartLinePosition.Line + 1));
        }
        return list.ToEquatableArray();
    }

    // A stub: a file under Kernel/stubs/, a member whose own comment says "stub", a file or class whose opening
    // comment line (after the SPDX line) starts with "Stub", or a body that only throws NotSupportedException/
    // NotImplementedException.
    private static bool IsStub(SyntaxNode node, CancellationToken ct)
    {
        var path = node.SyntaxTree.FilePath.Replace('\\', '/');
        if (path.Contains("/Kernel/stubs/"))
            return true;
        if (Comments(node.GetLeadingTrivia()).Any(c => c.IndexOf("stub", StringComparison.OrdinalIgnoreCase) >= 0))
            return true;
        var root = node.SyntaxTree.GetRoot(ct);
        foreach (var scope in node.Ancestors().OfType<TypeDeclarationSyntax>().Select(t => t.GetLeadingTrivia()).Append(root.GetLeadingTrivia()))
            if (Comments(scope).Select(c => c.TrimStart('/', ' ', '*')).FirstOrDefault(c => !c.StartsWith("SPDX", StringComparison.Ordinal)) is { } opening &&
                opening.StartsWith("Stub", StringComparison.Ordinal))
                return true;
        return OnlyThrowsNotSupported(node);
    }

    private static IEnumerable<string> Comments(SyntaxTriviaList trivia) =>
        trivia.Where(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia))
            .Select(t => t.ToString());

    private static bool OnlyThrowsNotSupported(SyntaxNode node)
    {
        ExpressionSyntax? thrown = node switch
        {
            BaseMethodDeclarationSyntax { ExpressionBody.Expression: ThrowExpressionSyntax t } => t.Expression,
            BaseMethodDeclarationSyntax { Body.Statements: { Count: 1 } statements } when statements[0] is ThrowStatementSyntax t => t.Expression,
            _ => null,
        };
        return thrown is ObjectCreationExpressionSyntax { Type: var type } &&
            type.ToString() is var name &&
            (name.EndsWith("NotSupportedException", StringComparison.Ordinal) || name.EndsWith("NotImplementedException", StringComparison.Ordinal));
    }
}
