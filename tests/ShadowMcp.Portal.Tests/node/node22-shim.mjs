// Node 20 lacks fs.globSync, which the conformance CLI imports for its tier-check command only.
// Loaded with `node --import ./node22-shim.mjs`; see fs-hook.mjs and fs-shim.mjs.
import { register } from "node:module";
register("./fs-hook.mjs", import.meta.url);
