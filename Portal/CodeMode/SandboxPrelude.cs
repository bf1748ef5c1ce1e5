namespace ShadowMcp.Portal.CodeMode;

/// <summary>
/// The JavaScript that builds `codemode` and `console` from the host functions. It runs before the user's code
/// and keeps the host functions in a closure, so the script can never reach them, only the wrappers.
/// </summary>
internal static class SandboxPrelude
{
    public const string Source = """
        (function (hostCall, hostLog, hostTools, hostDeclarations, hostDone, toolIdsJson, mode) {
          'use strict';
          // Not part of the API and each a way to block, leak timing or watch the collector: gone.
          for (const name of ['Atomics', 'SharedArrayBuffer', 'ShadowRealm', 'WeakRef', 'FinalizationRegistry']) delete globalThis[name];
          const parse = JSON.parse, stringify = JSON.stringify, freeze = Object.freeze, keys = Object.keys;
          const show = (v) => {
            if (typeof v === 'string') return v;
            try { const j = stringify(v); return j === undefined ? String(v) : j; } catch (e) {
              try { return String(v); } catch (e2) { return '[unprintable]'; }
            }
          };
          const write = (level) => (...args) => { hostLog(level, args.map(show).join(' ')); };
          Object.defineProperty(globalThis, 'console', {
            value: freeze({ log: write('log'), info: write('info'), warn: write('warn'), error: write('error'), debug: write('debug') }),
            writable: false, configurable: false, enumerable: false,
          });
          const unwrap = (text) => { const r = parse(text); if (r.error !== undefined) throw new Error(r.error); return r.value; };
          const api = {};
          if (mode === 'search') {
            api.tools = () => parse(hostTools());
            api.declarations = (names) => hostDeclarations(stringify(Array.isArray(names) ? names : [names]));
          } else {
            const ids = parse(toolIdsJson);
            for (const id of keys(ids)) {
              const exposed = ids[id];
              api[id] = (args) => hostCall(exposed, stringify(args === undefined ? {} : args)).then(unwrap);
            }
          }
          Object.defineProperty(globalThis, 'codemode', { value: freeze(api), writable: false, configurable: false, enumerable: false });
          // A thrown value's getters and toString are the script's code: any of them may throw again.
          const describe = (e) => {
            try {
              if (e !== null && typeof e === 'object' && 'message' in e) return String(e.name || 'Error') + ': ' + String(e.message);
              return 'Uncaught ' + show(e);
            } catch (inner) {
              return 'Uncaught exception (reading its message threw as well)';
            }
          };
          return (fn) => {
            if (typeof fn !== 'function') {
              hostDone(false, 'TypeError: code must be a JavaScript async arrow function, e.g. async () => { return 1; }');
              return;
            }
            Promise.resolve()
              .then(() => fn())
              .then((v) => { const text = v === undefined ? 'null' : stringify(v); hostDone(true, text === undefined ? 'null' : String(text)); })
              .catch((e) => hostDone(false, describe(e)));
          };
        })
        """;
}
