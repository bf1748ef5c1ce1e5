// node:fs with a globSync that explains itself; only tier-check would call it.
export * from "node:fs";
import fs from "node:fs";
export default fs;
export function globSync() { throw new Error("fs.globSync needs Node 22; only the tier-check command uses it"); }
