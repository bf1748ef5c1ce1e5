// Tiny `--key value` / `--flag` parser shared by the corpus scripts.
export function parseArgs(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) { out._.push(a); continue; }
    const key = a.slice(2);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) { out[key] = next; i++; } else { out[key] = true; }
  }
  return out;
}

// Reads a whole request body; every corpus body is small.
export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// Only loopback is ever bound or dialled.
export function assertLoopback(host) {
  const h = host.replace(/^\[|\]$/g, '');
  if (!(h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h))) {
    throw new Error(`refusing non-loopback address ${host}`);
  }
  return h;
}
