using Jint;
using Jint.Runtime;
using Jint.Runtime.Modules;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>`import()` rejects with a TypeError the script can catch, instead of failing the host.</summary>
internal sealed class NoModules : IModuleLoader
{
    public ResolvedSpecifier Resolve(string? referencingModuleLocation, ModuleRequest moduleRequest) =>
        new(moduleRequest, moduleRequest.Specifier, null, SpecifierType.Bare);

    public Module LoadModule(Engine engine, ResolvedSpecifier resolved) =>
        throw new JavaScriptException(engine.Intrinsics.TypeError,
            "import() is not available in code mode: there are no modules; call tools through codemode.<name>(args)");
}
