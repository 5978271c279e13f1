// Read the privacy signals one frame exposes. Evaluated by auditor/capture/signals.py in every frame:
//   (options) => Promise<{navigatorGpc, usp, gpp, tcf, onetrust, consentMode, localStorage, globals, errors}>
// Raw values only, no judging. Every API call is bounded by a timeout, and the GPP wait for
// signalStatus 'ready' is bounded by options.gppWaitMs and driven by addEventListener events.
async (options) => {
  // The auditor's timers must not count as the page's own pending work (consent/js/quiet.js).
  const tracker = window.__auditorQuiet;
  const setTimeout = tracker ? tracker.setTimer : window.setTimeout.bind(window);
  const clearTimeout = tracker ? tracker.clearTimer : window.clearTimeout.bind(window);
  const callTimeout = options.callTimeoutMs;
  const errors = [];
  const plain = (value) => {
    try {
      return value === undefined ? null : JSON.parse(JSON.stringify(value));
    } catch (e) {
      return String(value);
    }
  };
  const timeout = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
  const race = (promise, ms) => Promise.race([promise, timeout(ms, undefined)]);

  // The window that holds a frame named `name`: this one or an ancestor (IAB locator protocol).
  const locatorWindow = (name) => {
    let win = window;
    for (let depth = 0; depth < 10 && win; depth++) {
      try {
        if (win.frames[name]) return win;
      } catch (e) { /* a cross-origin ancestor may refuse */ }
      if (win === window.top) break;
      win = win.parent;
    }
    return null;
  };

  // postMessage transport: {[callKey]: {command, parameter, version, callId}} -> {[returnKey]: {returnValue, success, callId}}
  const messenger = (target, callKey, returnKey) => {
    let next = 0;
    return (command, parameter, version, onEach) => new Promise((resolve) => {
      const callId = `auditor-${callKey}-${Date.now()}-${next++}`;
      const listener = (event) => {
        let data = event.data;
        if (typeof data === "string") {
          try { data = JSON.parse(data); } catch (e) { return; }
        }
        const answer = data && data[returnKey];
        if (!answer || answer.callId !== callId) return;
        if (onEach) onEach(answer.returnValue, answer.success);
        else window.removeEventListener("message", listener);
        resolve({ data: answer.returnValue, success: answer.success });
      };
      window.addEventListener("message", listener);
      setTimeout(() => window.removeEventListener("message", listener), options.gppWaitMs + 2 * callTimeout);
      target.postMessage({ [callKey]: { command, parameter, version, callId } }, "*");
    });
  };

  // ---- US Privacy ----
  async function readUsp() {
    if (typeof window.__uspapi === "function") {
      const answer = await race(new Promise((resolve) => {
        try {
          window.__uspapi("getUSPData", 1, (data, success) => resolve({ data, success }));
        } catch (e) {
          resolve({ error: String(e) });
        }
      }), callTimeout);
      return { via: "api", answer: answer ? plain(answer) : null };
    }
    const target = locatorWindow("__uspapiLocator");
    if (!target) return null;
    const send = messenger(target, "__uspapiCall", "__uspapiReturn");
    const answer = await race(send("getUSPData", null, 1), callTimeout);
    return { via: "locator", answer: answer ? plain(answer) : null };
  }

  // ---- GPP: ping, then wait (bounded, by events) for signalStatus 'ready', then read ----
  async function readGpp() {
    let call;
    let via;
    if (typeof window.__gpp === "function") {
      via = "api";
      call = (command, parameter, onEach) => new Promise((resolve) => {
        try {
          const sync = window.__gpp(command, (data, success) => {
            if (onEach) onEach(data, success);
            resolve({ data, success });
          }, parameter);
          // GPP 1.0 stubs return ping data synchronously
          if (command === "ping" && sync && typeof sync === "object" && !Array.isArray(sync)) {
            resolve({ data: sync, success: true });
          }
        } catch (e) {
          resolve({ error: String(e) });
        }
      });
    } else {
      const target = locatorWindow("__gppLocator");
      if (!target) return null;
      via = "locator";
      const send = messenger(target, "__gppCall", "__gppReturn");
      call = (command, parameter, onEach) => send(command, parameter, "1.1", onEach);
    }
    const started = performance.now();
    const result = { via, events: [], wait: "no-answer" };
    const first = await race(call("ping"), callTimeout);
    if (!first || first.error) {
      if (first && first.error) result.error = first.error;
      result.waitedMs = performance.now() - started;
      return result;
    }
    result.firstPing = plain(first.data);
    let ping = first.data;
    const ready = (p) => p && typeof p === "object" && p.signalStatus === "ready";
    if (ready(ping)) {
      result.wait = "ready-at-first-ping";
    } else {
      let listenerId = null;
      const outcome = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve("timeout"), options.gppWaitMs);
        call("addEventListener", undefined, (event) => {
          if (!event || typeof event !== "object") return;
          if (event.listenerId !== undefined) listenerId = event.listenerId;
          const name = event.eventName || "?";
          if (result.events.length < 50) result.events.push(`${name}:${typeof event.data === "object" ? JSON.stringify(event.data) : event.data}`);
          if ((name === "signalStatus" && event.data === "ready") || ready(event.pingData)) {
            clearTimeout(timer);
            resolve("ready-event");
          }
        });
      });
      if (listenerId !== null) call("removeEventListener", listenerId);
      const again = await race(call("ping"), callTimeout);
      if (again && !again.error) ping = again.data;
      result.wait = outcome === "timeout" && ready(ping) ? "ready-after-wait" : outcome;
    }
    result.waitedMs = performance.now() - started;
    result.ping = plain(ping);
    let gppString = ping && typeof ping === "object" ? ping.gppString : null;
    if (!gppString && ping && String(ping.gppVersion || "").startsWith("1.0")) {
      const data = await race(call("getGPPData"), callTimeout);
      if (data && data.data && data.data.gppString) gppString = data.data.gppString;
    }
    result.gppString = gppString || null;
    // Sections: the API prefixes the CMP says it supports and has parsed.
    const prefixes = new Set();
    for (const api of (ping && ping.supportedAPIs) || []) {
      const prefix = String(api).split(":").pop();
      if (prefix) prefixes.add(prefix);
    }
    for (const prefix of Object.keys((ping && ping.parsedSections) || {})) prefixes.add(prefix);
    result.sections = {};
    for (const prefix of [...prefixes].slice(0, 30)) {
      if (prefix.startsWith("tcf")) continue;
      const answer = await race(call("getSection", prefix), callTimeout);
      if (answer && !answer.error && answer.data !== null && answer.data !== undefined) {
        result.sections[prefix] = plain(answer.data);
      }
    }
    return result;
  }

  // ---- TCF presence (EU/Canada consent; recorded, not a US opt-out signal) ----
  async function readTcf() {
    if (typeof window.__tcfapi !== "function") return null;
    const answer = await race(new Promise((resolve) => {
      try {
        window.__tcfapi("ping", 2, (data) => resolve(data));
      } catch (e) {
        resolve({ error: String(e) });
      }
    }), callTimeout);
    return { ping: answer ? plain(answer) : null };
  }

  // ---- OneTrust: active groups, group names (SDK data, else the preference-center DOM), opt-out notice ----
  function readOneTrust() {
    const out = { activeGroups: null, groupNames: {}, groupNamesSource: "", optoutSignalNotice: null };
    if (typeof window.OnetrustActiveGroups === "string") out.activeGroups = window.OnetrustActiveGroups;
    try {
      const data = window.OneTrust && typeof window.OneTrust.GetDomainData === "function" && window.OneTrust.GetDomainData();
      for (const group of (data && data.Groups) || []) {
        const id = group.CustomGroupId || group.OptanonGroupId;
        if (id && group.GroupName) out.groupNames[String(id)] = String(group.GroupName).trim();
      }
      if (Object.keys(out.groupNames).length) out.groupNamesSource = "OneTrust.GetDomainData().Groups";
    } catch (e) { errors.push(`OneTrust.GetDomainData: ${e}`); }
    if (!Object.keys(out.groupNames).length) {
      for (const header of document.querySelectorAll("[id^='ot-header-id-']")) {
        const id = header.id.slice("ot-header-id-".length);
        const text = (header.textContent || "").replace(/\s+/g, " ").trim();
        if (id && text) out.groupNames[id] = text;
      }
      if (Object.keys(out.groupNames).length) out.groupNamesSource = "preference-center headers #ot-header-id-*";
    }
    for (const notice of document.querySelectorAll(".ot-optout-signal")) {
      const style = getComputedStyle(notice);
      const box = notice.getBoundingClientRect();
      if (style.display !== "none" && style.visibility !== "hidden" && box.width > 0 && box.height > 0) {
        out.optoutSignalNotice = (notice.innerText || notice.textContent || "").replace(/\s+/g, " ").trim();
        break;
      }
    }
    const found = out.activeGroups !== null || Object.keys(out.groupNames).length || out.optoutSignalNotice !== null;
    return found ? out : null;
  }

  // ---- Google Consent Mode: gtag('consent', 'default'|'update', {...}) entries in dataLayer ----
  function readConsentMode() {
    const layer = Array.isArray(window.dataLayer) ? window.dataLayer : null;
    if (!layer) return null;
    const commands = [];
    const state = {};
    layer.forEach((entry, index) => {
      if (!entry || typeof entry !== "object" || typeof entry.length !== "number") return;
      if (entry[0] !== "consent" || typeof entry[1] !== "string") return;
      const params = entry[2] && typeof entry[2] === "object" ? plain(entry[2]) : {};
      commands.push({ command: entry[1], params, index });
      if (entry[1] === "default" || entry[1] === "update") {
        for (const [key, value] of Object.entries(params)) if (typeof value === "string") state[key] = value;
      }
    });
    return commands.length ? { commands: commands.slice(0, 50), state } : null;
  }

  function readLocalStorage() {
    const found = {};
    for (const key of options.localStorageKeys) {
      try {
        const value = window.localStorage.getItem(key);
        if (value !== null) found[key] = value.slice(0, 8000);
      } catch (e) { /* storage may be blocked */ }
    }
    return found;
  }

  function readGlobals() {
    const found = {};
    for (const path of options.globals) {
      try {
        const parts = path.split(".");
        let owner = window;
        for (const part of parts.slice(0, -1)) owner = owner && owner[part];
        const fn = owner && owner[parts[parts.length - 1]];
        if (typeof fn === "function") {
          const value = fn.call(owner);
          if (value !== undefined && value !== null) found[path] = JSON.stringify(value).slice(0, 8000);
        }
      } catch (e) { errors.push(`${path}(): ${e}`); }
    }
    return found;
  }

  const settle = async (name, work) => {
    try {
      return await work();
    } catch (e) {
      errors.push(`${name}: ${e}`);
      return null;
    }
  };
  const [usp, gpp, tcf] = await Promise.all([settle("usp", readUsp), settle("gpp", readGpp), settle("tcf", readTcf)]);
  const out = { navigatorGpc: navigator.globalPrivacyControl === undefined ? null : navigator.globalPrivacyControl, usp, gpp, tcf, errors };
  if (options.main) {
    out.onetrust = await settle("onetrust", async () => readOneTrust());
    out.consentMode = await settle("consentMode", async () => readConsentMode());
    out.localStorage = await settle("localStorage", async () => readLocalStorage());
    out.globals = await settle("globals", async () => readGlobals());
  }
  return out;
}
