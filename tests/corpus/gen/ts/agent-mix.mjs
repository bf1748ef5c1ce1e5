// Seeded variety for the shape corpus' MCP agents (agent.mjs, agent-alt.mjs; the C# client's ShapeAgent does the
// same): think time drawn from a wide log-uniform range, arguments of varied length and content, and the tools,
// lists and reads in varied order and mix, so an agent does not act like a fixture with one cadence and one size.
// Reproducible: everything follows from --seed; without it, the fifth corpus's fixed agent (fixedAgent below).
// --seed S --think-ms M (median think time, default 400: M/8 to 8M, at most 4 s) --calls N (mixed steps)
// --big BYTES (one large result, 0.5-1.5x) --reads N (large results of 8-120 kB) --progress STEPS (a long task)
// --idle-ms M (0.5-1.5x, open and idle at the end)
const WORDS = ('the a of to in for on with from by and or not file src lib test main index config readme docs api ' +
  'user order invoice ticket build deploy error warning log metric query result page table row column field value ' +
  'summary report draft review fix update create delete list find search open close read write parse format ' +
  'function class method module package version branch commit merge issue note 42 2026 17 0.5 /home/dev/project ' +
  'src/main.ts lib/util.py "quoted text" {"k":1} https://example.test/a/b?q=1 α β naïve café').split(' ');

export function agentMix(args) {
  if (args.seed === undefined) return fixedAgent(args);
  let s = (Number(args.seed ?? 1) >>> 0) || 1;
  const rand = () => { // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const logUniform = (lo, hi) => Math.exp(Math.log(lo) + rand() * (Math.log(hi) - Math.log(lo)));
  const int = (lo, hi) => Math.floor(lo + rand() * (hi - lo + 1));
  const num = (k, d) => Number(args[k] ?? d);
  const median = num('think-ms', 400) || 400;
  const text = (maxWords) => Array.from({ length: Math.round(logUniform(1, maxWords)) }, () => WORDS[int(0, WORDS.length - 1)]).join(' ');

  // tools: the names the server listed; caps: { resources, prompts } the server offers.
  function steps(tools, caps) {
    const has = (name) => tools.includes(name);
    const others = tools.filter((t) => !['echo', 'fetch_doc', 'long_task'].includes(t));
    const call = (name, a) => ({ kind: 'call', name, arguments: a });
    const choices = [
      [5, () => call('echo', { message: text(300) })],
      [has('fetch_doc') ? 2 : 0, () => call('fetch_doc', { size: Math.round(logUniform(200, 40_000)) })],
      ...others.map((t) => [1, () => call(t, t === 'add_numbers' ? { a: int(-1000, 100_000), b: int(0, 999) } : { query: text(12) })]),
      [1, () => ({ kind: 'list', what: 'tools' })],
      [caps.resources ? 1 : 0, () => ({ kind: 'list', what: 'resources' })],
      [caps.prompts ? 1 : 0, () => ({ kind: 'list', what: 'prompts' })],
    ];
    const total = choices.reduce((n, [w]) => n + w, 0);
    const pick = () => {
      let r = rand() * total;
      for (const [w, make] of choices) { if ((r -= w) < 0 && w > 0) return make(); }
      return choices[0][1]();
    };
    const plan = Array.from({ length: num('calls', 1) }, pick);
    const insert = (step) => plan.splice(int(0, plan.length), 0, step);
    if (num('big', 0) > 0 && has('fetch_doc')) insert(call('fetch_doc', { size: Math.round(num('big', 0) * (0.5 + rand())) }));
    if (num('progress', 0) > 0 && has('long_task')) {
      insert({ ...call('long_task', { steps: int(Math.max(2, num('progress', 0) - 2), num('progress', 0) + 3), delay_ms: Math.round(logUniform(60, 400)) }), progress: true });
    }
    for (let i = 0; i < num('reads', 0) && has('fetch_doc'); i++) plan.push(call('fetch_doc', { size: Math.round(logUniform(8000, 120_000)) }));
    // Some hosts list resources and prompts right after connecting, before the model thinks.
    const opening = [];
    if (caps.resources && rand() < 0.35) opening.push({ kind: 'list', what: 'resources' });
    if (caps.prompts && rand() < 0.35) opening.push({ kind: 'list', what: 'prompts' });
    return { opening, plan };
  }

  return {
    steps,
    think: () => Math.round(Math.min(4000, Math.max(20, logUniform(median / 8, median * 8)))),
    idleMs: () => Math.round(num('idle-ms', 0) * (0.5 + rand())),
  };
}

// Without --seed: the fifth corpus's fixed agent, which the shipped model's table was made with (AGENTS=fixed in
// generate.sh): echo calls in order, each after the plan's think time, then the large result, the reads (each after
// the think time), the long task and the idle time.
function fixedAgent(args) {
  const num = (k, d) => Number(args[k] ?? d);
  const call = (name, a, think) => ({ kind: 'call', name, arguments: a, think });
  function steps() {
    const plan = [];
    for (let i = 0; i < num('calls', 1); i++) plan.push(call('echo', { message: `step ${i} ` + 'x'.repeat(i * 37 % 300) }, true));
    if (num('big', 0) > 0) plan.push(call('fetch_doc', { size: num('big', 0) }, false));
    for (let i = 0; i < num('reads', 0); i++) plan.push(call('fetch_doc', { size: 8000 + (i * 37_337) % 112_000 }, true));
    if (num('progress', 0) > 0) plan.push({ ...call('long_task', { steps: num('progress', 0), delay_ms: 150 }, false), progress: true });
    return { opening: [], plan };
  }
  return { steps, think: () => num('think-ms', 0), idleMs: () => num('idle-ms', 0) };
}
