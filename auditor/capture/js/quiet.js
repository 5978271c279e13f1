// The auditor's "is the page quiet?" tracker, added to every frame before the page's own scripts.
// A consent manager injected late (a tag manager's delayed tag, a lazy loader) is a timer that has not fired yet,
// a script still loading or a request in flight, then DOM changes. The page is quiet when none of these is pending
// and the DOM has not changed for a while: then nothing more is coming, and the wait for a late consent manager
// can end at once instead of sleeping a fixed time. Pages that poll for ever (a timer that re-arms itself, an
// async loop around a sleep) are recognised by their repeating timers, which stop counting after a few rounds;
// the caller's deadline bounds everything else. Animation frames and idle callbacks a script asked for count too,
// for a moment (a page in the background gets no frames, and a busy one no idle time): a framework that renders in
// its next frame or when the page is idle has not rendered yet.
(() => {
  const KEY = '__auditorQuiet';
  if (window[KEY]) return;
  const realSetTimeout = window.setTimeout;
  const realClearTimeout = window.clearTimeout;
  const realFetch = window.fetch;
  const now = () => performance.now();
  const MAX_DELAY_MS = 12000;  // a timer due later than any wait cannot hold one up
  const REPEATS = 3;  // the same timer armed more often than this is a poll, not a one-off injection
  const pending = new Map();  // timer id -> due time (performance.now)
  const armed = new Map();  // timer key (delay + callback source) -> times armed
  const sources = new WeakMap();
  let requests = 0;
  let loading = 0;
  let lastChange = now();
  let changes = 0;

  const keyOf = (handler, delay) => {
    let source = sources.get(handler);
    if (source === undefined) {
      try { source = Function.prototype.toString.call(handler).slice(0, 200); } catch (e) { source = '?'; }
      sources.set(handler, source);
    }
    return `${delay}|${source}`;
  };
  const setTimeoutTracked = function setTimeout(handler, delay, ...args) {
    if (typeof handler !== 'function') return realSetTimeout.call(window, handler, delay, ...args);
    const ms = Math.max(0, Number(delay) || 0);
    const key = keyOf(handler, ms);
    const times = (armed.get(key) || 0) + 1;
    armed.set(key, times);
    let id = 0;
    const run = function () { pending.delete(id); return handler.apply(this, args); };
    id = realSetTimeout.call(window, run, delay);
    if (ms <= MAX_DELAY_MS && times <= REPEATS) pending.set(id, {due: now() + ms, key});
    return id;
  };
  const clearTimeoutTracked = function clearTimeout(id) { pending.delete(id); return realClearTimeout.call(window, id); };
  const native = (name) => () => `function ${name}() { [native code] }`;
  setTimeoutTracked.toString = native('setTimeout');
  clearTimeoutTracked.toString = native('clearTimeout');
  window.setTimeout = setTimeoutTracked;
  window.clearTimeout = clearTimeoutTracked;

  // requestAnimationFrame and requestIdleCallback: pending until their callback runs, for at most a moment each; a
  // callback that re-arms itself (an animation loop, an idle-time batcher) stops counting after REPEATS rounds.
  const FRAME_WAIT_MS = 200;  // a frame due this long ago is not coming soon (a hidden or throttled page)
  const IDLE_WAIT_MS = 500;  // an idle callback this old waits for idle time that a busy page may not have
  const callbacks = new Map();  // `${kind}:${id}` -> {since, limit}
  const trackCallbacks = (kind, request, cancel, limit) => {
    const real = window[request];
    const realCancel = window[cancel];
    if (typeof real !== 'function') return;
    const tracked = {[request](handler, ...rest) {
      if (typeof handler !== 'function') return real.call(window, handler, ...rest);
      const key = keyOf(handler, kind);
      const times = (armed.get(key) || 0) + 1;
      armed.set(key, times);
      let id = 0;
      const run = function (...args) { callbacks.delete(`${kind}:${id}`); return handler.apply(this, args); };
      id = real.call(window, run, ...rest);
      if (times <= REPEATS) callbacks.set(`${kind}:${id}`, {since: now(), limit});
      return id;
    }}[request];
    tracked.toString = native(request);
    window[request] = tracked;
    if (typeof realCancel === 'function') {
      const cancelTracked = {[cancel](id) { callbacks.delete(`${kind}:${id}`); return realCancel.call(window, id); }}[cancel];
      cancelTracked.toString = native(cancel);
      window[cancel] = cancelTracked;
    }
  };
  trackCallbacks('frame', 'requestAnimationFrame', 'cancelAnimationFrame', FRAME_WAIT_MS);
  trackCallbacks('idle', 'requestIdleCallback', 'cancelIdleCallback', IDLE_WAIT_MS);

  if (typeof realFetch === 'function') {
    const fetchTracked = function fetch(...args) {
      requests += 1;
      let answer;
      try { answer = realFetch.apply(this, args); } catch (e) { requests -= 1; throw e; }
      Promise.resolve(answer).then(() => { requests -= 1; }, () => { requests -= 1; });
      return answer;
    };
    fetchTracked.toString = native('fetch');
    window.fetch = fetchTracked;
  }
  if (window.XMLHttpRequest) {
    const realSend = XMLHttpRequest.prototype.send;
    const sendTracked = function send(...args) {
      requests += 1;
      this.addEventListener('loadend', () => { requests -= 1; }, {once: true});
      try { return realSend.apply(this, args); } catch (e) { requests -= 1; throw e; }
    };
    sendTracked.toString = native('send');
    XMLHttpRequest.prototype.send = sendTracked;
  }

  // Scripts and frames added by script load after they are inserted: pending until their load or error event.
  const watchLoad = (el) => {
    if (el.__auditorWatched) return;
    // a script of another type (a consent manager's blocked tag, type="text/plain") and a lazy frame never load
    const runnable = el.tagName === 'SCRIPT' && el.src && /^(|text\/javascript|application\/javascript|module)$/i.test(el.type || '');
    const frame = el.tagName === 'IFRAME' && el.getAttribute('loading') !== 'lazy';
    if (!runnable && !frame) return;
    el.__auditorWatched = true;
    loading += 1;
    let done = false;
    const finish = () => { if (!done) { done = true; loading -= 1; lastChange = now(); } };
    el.addEventListener('load', finish, {once: true});
    el.addEventListener('error', finish, {once: true});
    realSetTimeout.call(window, finish, 10000);  // a load event that never comes stops counting
  };
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      // the auditor's own handles on elements, and style-only churn (animations, carousels), are not changes
      if (record.type === 'attributes' && (record.attributeName === 'data-auditor-ref' || record.attributeName === 'style')) continue;
      lastChange = now();
      changes += 1;
      if (record.type === 'childList') {
        for (const node of record.addedNodes) {
          if (node.nodeType !== 1) continue;
          watchLoad(node);
          if (node.querySelectorAll) for (const inner of node.querySelectorAll('script[src], iframe')) watchLoad(inner);
        }
      }
    }
  });
  const start = () => observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  start();

  const state = (horizon) => {
    let timers = 0;
    const due = [];
    for (const timer of pending.values()) {
      if (timer.due > horizon) continue;
      timers += 1;
      if (due.length < 3) due.push(`${Math.round(timer.due - now())} ms: ${timer.key.slice(0, 80)}`);
    }
    let frames = 0;
    const at = now();
    for (const [id, callback] of callbacks) {
      if (at - callback.since < callback.limit) frames += 1;
      else callbacks.delete(id);  // it stops counting for good: the page was not going to run it soon
    }
    return {timers, due, frames, requests: Math.max(0, requests), loading: Math.max(0, loading), quietFor: at - lastChange, changes};
  };
  // Resolves when nothing is pending that is due before the deadline (or before started + horizonMs, when given)
  // and the DOM has not changed for quietMs, or at the deadline. Checks every 100 ms with the page's own
  // (untracked) timer while something is pending; when only the stillness is missing, checks again the moment the
  // DOM will have been still for quietMs (a change before then moves that moment on), not up to 100 ms later.
  const POLL_MS = 100;
  const waitQuiet = ({quietMs, maxMs, horizonMs}) => new Promise((resolve) => {
    const started = now();
    const deadline = started + maxMs;
    const horizon = horizonMs === undefined ? deadline : Math.min(deadline, started + horizonMs);
    const check = () => {
      const s = state(horizon);
      const idle = s.timers === 0 && s.frames === 0 && s.requests === 0 && s.loading === 0;
      const quiet = idle && s.quietFor >= quietMs;
      const left = deadline - now();
      if (quiet || left <= 0) {
        resolve({quiet, waited: now() - started, ...s});
        return;
      }
      const next = idle ? Math.min(POLL_MS, quietMs - s.quietFor + 1) : POLL_MS;
      realSetTimeout.call(window, check, Math.max(1, Math.min(next, left)));
    };
    check();
  });
  // The auditor's own scripts keep their timers out of the count through these.
  const setTimer = (fn, ms) => realSetTimeout.call(window, fn, ms);
  const clearTimer = (id) => realClearTimeout.call(window, id);
  Object.defineProperty(window, KEY, {value: {state, waitQuiet, setTimer, clearTimer}, enumerable: false});
})();
