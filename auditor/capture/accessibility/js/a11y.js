// The accessibility capture's page side, evaluated in a frame as `([op, arg]) => (LIB)[op](arg)`.
// Scopes axe-core to a notice, runs it, reads where the keyboard focus is, finds what a key press opened and
// measures the opt-out link's contrast. Elements the Python side needs again get `data-auditor-a11y-*`
// attributes (invisible to the visitor); open shadow roots are pierced. Nothing here clicks or judges. The shared DOM
// helpers (collapse, parentOf, deepAll, deepContains, visible) come from capture/js/dom_helpers.js.
(() => {
  const A = 'data-auditor-a11y';
  const TOGGLES = 'input[type="checkbox"], [role="switch"], [role="checkbox"]:not(input)';
  const BUTTONS = 'button, a[href], [role="button"], input[type="button"], input[type="submit"]';
  const SAVE_WORDS = /\b(save|confirm|submit|apply|update|done|opt[\s-]?out|send|allow selection|my choices|preferences)\b/i;
  const state = (window.__auditorA11y = window.__auditorA11y || {seen: 0, scope: 0, node: 0});

  // The light DOM first: walking every shadow root costs a pass over the whole page, too much on every Tab.
  const first = (selector) => document.querySelector(selector) || deepAll(document, selector)[0] || null;
  const describe = (el) => {
    if (!el || !el.tagName) return '';
    if (el === document.body || el === document.documentElement) return 'the page itself (nothing focused)';
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const role = el.getAttribute('role');
    if (role) s += `[role=${role}]`;
    const own = el.matches && el.matches(TOGGLES) ? labelOf(el) : el.innerText || (el.type === 'submit' || el.type === 'button' ? el.value : '');
    const name = collapse(el.getAttribute('aria-label') || own || el.getAttribute('title') || '');
    return name ? `${s} "${name.slice(0, 60)}"` : s;
  };
  const deepActive = () => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a;
  };
  const box = (el) => { const r = el.getBoundingClientRect(); return {x: r.left, y: r.top, width: r.width, height: r.height}; };

  // An axe context naming `el`, through the shadow roots above it (axe's fromShadowDom).
  const contextFor = (el) => {
    const chain = [];
    for (let n = el; n; ) {
      const id = `s${++state.scope}`;
      n.setAttribute(`${A}-scope`, id);
      chain.unshift(`[${A}-scope="${id}"]`);
      const root = n.getRootNode();
      n = root && root.host ? root.host : null;
    }
    return chain.length === 1 ? {include: [chain]} : {include: [{fromShadowDom: chain}]};
  };
  // The element axe names by `target` (one selector, or a list through shadow roots).
  const resolve = (target) => {
    let root = document;
    let el = null;
    for (const part of [].concat(target)) {
      if (Array.isArray(part)) return null;  // a frame hop: frames are scanned on their own
      el = (root.shadowRoot || root).querySelector(part);
      if (!el) return null;
      root = el;
    }
    return el;
  };
  const labelOf = (el) => {
    const by = el.getAttribute('aria-labelledby');
    if (by) return collapse(by.split(/\s+/).map((id) => (document.getElementById(id) || {}).textContent || '').join(' '));
    if (el.getAttribute('aria-label')) return collapse(el.getAttribute('aria-label'));
    if (el.labels && el.labels.length) return collapse(el.labels[0].textContent);
    const row = el.closest('li, tr, .row, [class*=category], [class*=purpose], div');
    return row ? collapse(row.textContent).slice(0, 80) : '';
  };
  const checked = (el) => {
    if (el.tagName === 'INPUT') return el.checked;
    const v = el.getAttribute('aria-checked') ?? el.getAttribute('aria-pressed');
    return v === null ? null : v === 'true';
  };
  // A toggle counts when it or its label is shown (styled switches hide the input itself).
  const shownToggle = (el) => visible(el) || (el.labels && [...el.labels].some(visible)) || visible(parentOf(el));

  // About how many Tab stops lie before `el` (shown focusable elements earlier in the light DOM), counted up to
  // `cap`; null when the order cannot be told this way (a positive tabindex, or `el` inside a shadow root).
  const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select, textarea, [tabindex], [contenteditable="true"], summary';
  const stopsBefore = (el, cap = 1000) => {
    if (el.getRootNode() !== document || document.querySelector('[tabindex]:not([tabindex="0"]):not([tabindex^="-"])')) return null;
    let count = 0;
    for (const c of document.querySelectorAll(FOCUSABLE)) {  // in document order: all before `el` come first
      if (c === el || count >= cap) break;
      if (c.getAttribute('tabindex') !== '-1' && visible(c)) count++;
    }
    return count;
  };

  const lib = {
    // Is axe-core here yet, and which version?
    axeVersion: () => (window.axe && window.axe.version) || '',

    // The axe context for one notice: an element by attribute and value, or the whole document (no selector).
    scope: ({selector}) => {
      if (!selector) return {context: {include: [['html']]}, scope: 'the whole page'};
      const el = first(selector);
      if (!el) return null;
      return {context: contextFor(el), scope: describe(el), box: box(el)};
    },

    // Run axe on a context; keep violations and undecided checks, tag their first elements for screenshots.
    runAxe: async ({context, tags, maxNodes}) => {
      const results = await window.axe.run(context, {
        runOnly: {type: 'tag', values: tags},
        resultTypes: ['violations', 'incomplete'],
        iframes: false, selectors: true, ancestry: false, xpath: false,
      });
      const keep = (item, photograph) => ({
        rule_id: item.id, impact: item.impact || null, help: item.help || '', help_url: item.helpUrl || '',
        tags: item.tags || [], node_count: item.nodes.length,
        nodes: item.nodes.slice(0, maxNodes).map((node) => {
          const el = photograph ? resolve(node.target) : null;
          let handle = '';
          if (el) { handle = `n${++state.node}`; el.setAttribute(`${A}-node`, handle); }
          const selector = [].concat(node.target).map((p) => [].concat(p).join(' >>> ')).join(' >>> ');
          return {selector, html: (node.html || '').slice(0, 300), summary: (node.failureSummary || '').slice(0, 600), handle};
        }),
      });
      return {
        violations: results.violations.map((v) => keep(v, true)),
        incomplete: results.incomplete.map((v) => keep(v, false)),
        passes: results.passes.length,
      };
    },

    // Mark the element the keyboard walk must reach: by attribute selector, or by text (and href) among links.
    markEntry: ({selector, text, href}) => {
      let el = selector ? first(selector) : null;
      if (!el && text) {
        const want = collapse(text).toLowerCase();
        // A cheap test first (textContent needs no layout): the rendered text is the source text less what is
        // hidden, with other spaces (a <br>), so an element whose source text lacks the words cannot read them.
        const squash = (s) => (s || '').replace(/\s+/g, '').toLowerCase();
        const bare = squash(text);
        const named = (c) => squash(c.textContent).includes(bare) || squash(c.getAttribute('aria-label')) === bare;
        const shown = (c) => visible(c) && collapse(c.innerText || c.getAttribute('aria-label')).toLowerCase() === want;
        // links and buttons first (the focus lands on them); a <span> or <div> only when none reads the text
        let candidates = deepAll(document, 'a, button, [role="link"], [role="button"]').filter(named).filter(shown);
        if (!candidates.length) candidates = deepAll(document, 'span, div, li').filter(named).filter(shown);
        const exact = candidates.filter((c) => !href || (c.href || '') === href || c.getAttribute('href') === href);
        // the innermost element with that text: a <span> inside a <div> both read "Do Not Sell"
        el = (exact.length ? exact : candidates).reverse().find((c) => !deepAll(c, '*').some((k) => candidates.includes(k))) || null;
      }
      if (!el) return {found: false};
      el.setAttribute(`${A}-entry`, '1');
      const tabindex = el.getAttribute('tabindex');
      const native = el.matches('a[href], button:not([disabled]), input:not([disabled]), select, textarea, [contenteditable="true"], summary');
      return {found: true, desc: describe(el), in_tab_order: tabindex !== null ? Number(tabindex) >= 0 : native,
              stops_before: stopsBefore(el)};
    },

    // Nothing focused, so the next Tab starts at the top of the page.
    resetFocus: () => {
      const a = deepActive();
      if (a && a.blur) a.blur();
      if (window.getSelection) window.getSelection().removeAllRanges();
      window.scrollTo(0, 0);
      return true;
    },

    // Where the focus is now: a stable key per element, and what it is to the walk.
    focused: ({banner}) => {
      const el = deepActive();
      if (!el || el === document.body || el === document.documentElement) return {key: 'page', desc: describe(document.body), page: true};
      if (!el.getAttribute(`${A}-seen`)) el.setAttribute(`${A}-seen`, `f${++state.seen}`);
      const bannerEl = banner ? first(banner) : null;
      const notice = state.notice ? first(`[${A}-notice="1"]`) : null;
      return {
        key: el.getAttribute(`${A}-seen`), desc: describe(el), page: false,
        entry: el.getAttribute(`${A}-entry`) === '1' || !!(el.closest && el.closest(`[${A}-entry="1"]`)),
        in_banner: !!(bannerEl && deepContains(bannerEl, el)),
        in_notice: !!(notice && deepContains(notice, el)),
        toggle: el.getAttribute(`${A}-toggle`) || '',
        save: el.getAttribute(`${A}-save`) === '1',
        state: el.matches && el.matches(TOGGLES) ? checked(el) : null,
      };
    },

    // Before a key press that may open something: remember what is already shown.
    markShown: () => {
      for (const el of deepAll(document, `${TOGGLES}, [role="dialog"], [role="alertdialog"], dialog, [aria-modal="true"]`)) {
        if (visible(el) || (el.matches(TOGGLES) && shownToggle(el))) el.setAttribute(`${A}-pre`, '1');
      }
      return true;
    },

    // What a key press opened: a dialog, or a group of controls newly shown; null when nothing.
    opened: ({exclude}) => {
      const excluded = exclude ? first(exclude) : null;
      const fresh = (el) => el.getAttribute(`${A}-pre`) !== '1' && !(excluded && deepContains(excluded, el));
      let container = deepAll(document, '[role="dialog"], [role="alertdialog"], dialog[open], [aria-modal="true"]')
        .find((el) => visible(el) && fresh(el)) || null;
      if (!container) {
        const toggles = deepAll(document, TOGGLES).filter((el) => shownToggle(el) && fresh(el));
        if (!toggles.length) return null;
        container = toggles[0];
        while (parentOf(container) && !toggles.every((t) => deepContains(container, t))) container = parentOf(container);
        for (let n = container; n && n !== document.body; n = parentOf(n)) {
          if (['fixed', 'absolute'].includes(getComputedStyle(n).position)) { container = n; break; }
        }
      }
      return lib.readNotice({root: container});
    },

    // The controls and save buttons of a notice (a dialog, or the whole page), tagged for the walk.
    readNotice: ({root}) => {
      const el = root || document.body;
      for (const old of deepAll(document, `[${A}-notice="1"]`)) old.removeAttribute(`${A}-notice`);
      el.setAttribute(`${A}-notice`, '1');
      state.notice = true;
      const seenBefore = el.getAttribute(`${A}-read`) === '1';  // the same dialog, opened another way
      el.setAttribute(`${A}-read`, '1');
      const toggles = deepAll(el, TOGGLES).filter((t) => shownToggle(t) && !t.disabled && t.getAttribute('aria-disabled') !== 'true');
      toggles.forEach((t, i) => t.setAttribute(`${A}-toggle`, String(i + 1)));
      const saves = deepAll(el, BUTTONS).filter((b) => visible(b) && SAVE_WORDS.test(collapse(b.innerText || b.value || b.getAttribute('aria-label'))));
      saves.forEach((b) => b.setAttribute(`${A}-save`, '1'));
      return {
        selector: `[${A}-notice="1"]`, desc: describe(el), box: box(el), seen_before: seenBefore,
        toggles: toggles.map((t, i) => ({index: String(i + 1), label: labelOf(t).slice(0, 120), state: checked(t), radio: false})),
        saves: saves.map((b) => collapse(b.innerText || b.value || b.getAttribute('aria-label')).slice(0, 80)),
      };
    },

    // The HTTP status of the document's own load (an opt-out link may lead to an error page).
    httpStatus: () => { const n = performance.getEntriesByType('navigation')[0]; return (n && n.responseStatus) || null; },
    toggleState: ({index}) => { const t = first(`[${A}-toggle="${index}"]`); return t ? checked(t) : null; },
    clickEntry: () => { const e = first(`[${A}-entry="1"]`); if (!e) return false; e.click(); return true; },
    clickToggle: ({index}) => { const t = first(`[${A}-toggle="${index}"]`); if (!t) return false; t.click(); return true; },
    focusOf: ({index}) => { const t = first(`[${A}-toggle="${index}"]`); if (t) t.focus(); return !!t; },
    isShown: ({selector}) => visible(first(selector)),
    nodeBox: ({handle}) => { const el = first(`[${A}-node="${handle}"]`); if (!el) return null; el.scrollIntoView({block: 'center', inline: 'nearest'}); return box(el); },

    // The opt-out link's text colour against what lies behind it, and the same for the links around it.
    contrast: ({selector}) => {
      const link = first(selector);
      if (!link) return null;
      const parse = (c) => { const m = /rgba?\(([^)]+)\)/.exec(c || ''); if (!m) return null; const p = m[1].split(/[\s,/]+/).filter(Boolean).map(parseFloat); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
      const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
      const over = (top, under) => { const a = top[3]; return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]); };
      const measure = (el) => {
        const s = getComputedStyle(el);
        let image = false;
        const layers = [];
        for (let n = el; n; n = parentOf(n)) {
          const ns = getComputedStyle(n);
          if (ns.backgroundImage && ns.backgroundImage !== 'none') { image = true; break; }
          const bg = parse(ns.backgroundColor);
          if (bg && bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) break; }
        }
        let background = [255, 255, 255, 1];  // the canvas behind everything
        for (const layer of layers.reverse()) background = over(layer, background);
        const fg = parse(s.color);
        let ratio = null;
        if (fg && !image) {
          const text = over(fg, background);
          const [l1, l2] = [lum(text), lum(background)].sort((a, b) => b - a);
          ratio = Math.round(((l1 + 0.05) / (l2 + 0.05)) * 100) / 100;
        }
        return {
          text: collapse(el.innerText || el.getAttribute('aria-label')).slice(0, 120), href: el.href || '',
          font_size_px: parseFloat(s.fontSize) || null, font_weight: parseInt(s.fontWeight, 10) || null, color: s.color,
          background: image ? '' : `rgb(${background.slice(0, 3).map(Math.round).join(', ')})`, background_image: image,
          contrast_ratio: ratio,
        };
      };
      const footer = link.closest('footer, [role="contentinfo"]');
      let area = footer;
      let what = 'the footer links';
      if (!area) {
        what = 'the links beside it';
        area = parentOf(link);
        while (area && parentOf(area) && deepAll(area, 'a[href]').filter(visible).length < 3) area = parentOf(area);
      }
      const peers = area ? deepAll(area, 'a[href], button').filter((p) => p !== link && visible(p) && collapse(p.innerText)).slice(0, 30) : [];
      if (area) area.setAttribute(`${A}-area`, '1');
      return {link: measure(link), area: what, peers: peers.map(measure), area_selector: area ? `[${A}-area="1"]` : ''};
    },
  };
  return lib;
})()
