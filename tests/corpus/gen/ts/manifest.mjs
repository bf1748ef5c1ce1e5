// Builds tests/corpus/manifest.json from what the generator itself knows: the scenario's declared setup plus
// the RESULT line its client printed (negotiated version and server info as reported by the SDK).
//   node manifest.mjs add ENTRIES.jsonl CLIENT_LOG|- key=value...   (a value that parses as JSON is kept as JSON)
//   node manifest.mjs write ENTRIES.jsonl OUT.json
//   node manifest.mjs merge ENTRIES.jsonl OUT.json    (replaces entries of the same file, keeps the others)
import fs from 'node:fs';

const [cmd, entriesFile, arg, ...pairs] = process.argv.slice(2);
const parseValue = (v) => { try { return JSON.parse(v); } catch { return v; } };
if (cmd === 'add') {
  const entry = Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), parseValue(p.slice(p.indexOf('=') + 1))]));
  const clientLog = arg === '-' ? undefined : arg;
  if (clientLog) {
    const line = fs.readFileSync(clientLog, 'utf8').split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`no RESULT line in ${clientLog}`);
    const result = JSON.parse(line.slice('RESULT '.length));
    if (entry.is_mcp) {
      entry.protocol_version = result.negotiated ?? null;
      entry.server_name = result.server_name ?? null;
      entry.server_version = result.server_version ?? null;
      entry.tools = result.tools;
      if (!entry.protocol_version || !entry.server_name) throw new Error(`client did not report a session: ${line}`);
    } else {
      entry.client_result = result;
    }
  }
  fs.appendFileSync(entriesFile, JSON.stringify(entry) + '\n');
} else if (cmd === 'write') {
  const entries = fs.readFileSync(entriesFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  entries.sort((a, b) => a.file.localeCompare(b.file));
  fs.writeFileSync(arg, JSON.stringify({ generator: 'tests/corpus/generate.sh', files: entries }, null, 2) + '\n');
} else if (cmd === 'merge') {
  const fresh = fs.readFileSync(entriesFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const names = new Set(fresh.map((e) => e.file));
  const kept = JSON.parse(fs.readFileSync(arg, 'utf8')).files.filter((e) => !names.has(e.file));
  const entries = [...kept, ...fresh].sort((a, b) => a.file.localeCompare(b.file));
  fs.writeFileSync(arg, JSON.stringify({ generator: 'tests/corpus/generate.sh', files: entries }, null, 2) + '\n');
} else {
  throw new Error('usage: manifest.mjs add|write|merge ...');
}
