namespace Emu.Generators.Model;

/// <summary>Everything the front end took out of the headers for one ABI: the parser's output.</summary>
internal sealed record HeaderProgram(
    string Abi,
    EquatableArray<RecordDecl> Records,
    EquatableArray<TypedefDecl> Typedefs,
    EquatableArray<EnumDecl> Enums,
    EquatableArray<StaticAssertDecl> StaticAsserts,
    EquatableArray<AccessorMacroUse> AccessorMacros,
    EquatableArray<MacroConstant> Macros,
    EquatableArray<FunctionDecl> Functions,
    EquatableArray<HeaderDiagnostic> Diagnostics);
