// A code-mode worker that has been taken over: it speaks the frame protocol (4-byte big-endian length, then JSON)
// like shadowmcp codemode-worker, but on a search run it asks the portal to call a tool, which a search never does.
// Arguments: the exposed tool name to call; then optionally "big-call": an execution's call carries 3 MB of
// arguments in one frame, past what the portal reads of a frame that is not a result.
const tool = process.argv[2];
const bigCall = process.argv[3] === 'big-call';
let buffer = Buffer.alloc(0);
let waiting = null;

function send(message) {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const header = Buffer.alloc(4);
  header.writeInt32BE(body.length);
  process.stdout.write(Buffer.concat([header, body]));
}

function ask(message) {
  return new Promise((resolve) => { waiting = resolve; send(message); });
}

async function run(frame) {
  // Search is mode 0, left out of the frame as a default value. An execution (the warm-up too) may call tools.
  const search = (frame.mode ?? 0) === 0;
  // The portal's warm-up run (its one tool is warm_up) gets an ordinary call, so the worker is taken into the pool.
  const warmUp = 'warm_up' in (frame.ids ?? {});
  const text = bigCall && !search && !warmUp ? 'big-call:' + 'x'.repeat(3 * 1024 * 1024) : search ? 'from-a-search' : 'from-an-execute';
  const reply = await ask({ t: 'call', id: 1, name: tool, text: JSON.stringify({ text }) });
  send({ t: 'done', ok: true, text: JSON.stringify(reply) });
}

process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  while (buffer.length >= 4) {
    const length = buffer.readInt32BE(0);
    if (buffer.length < 4 + length) return;
    const frame = JSON.parse(buffer.subarray(4, 4 + length).toString('utf8'));
    buffer = buffer.subarray(4 + length);
    if (frame.t === 'reply' && waiting) { const w = waiting; waiting = null; w(frame.text); }
    else if (frame.t === 'run') run(frame);
  }
});
process.stdin.on('end', () => process.exit(0));
send({ t: 'ready' });
