// Resolves the conformance package's "fs" import to fs-shim.mjs (node:fs plus a globSync stub).
export async function resolve(specifier, context, next) {
  if ((specifier === "fs" || specifier === "node:fs") && context.parentURL?.includes("/@modelcontextprotocol/conformance/"))
    return { url: new URL("./fs-shim.mjs", import.meta.url).href, shortCircuit: true };
  return next(specifier, context);
}
